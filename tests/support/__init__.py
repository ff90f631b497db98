"""Test helpers any test may import (tests/ is on sys.path through tests/conftest.py)."""

from support.cli import run_cli
from support.http_server import JobServer, RecordedRequest, Reply, refused_url

__all__ = ["JobServer", "RecordedRequest", "Reply", "refused_url", "run_cli"]
