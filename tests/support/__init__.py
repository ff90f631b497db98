"""Test helpers any test may import (tests/ is on sys.path through tests/conftest.py)."""

from support.cli import run, run_cli
from support.http_server import JobServer, RecordedRequest, Reply, free_port, refused_url
from support.paths import FIXTURES, ROOT, SCHEMAS
from support.serve import LoggedServer, logged_serve

__all__ = [
    "FIXTURES",
    "ROOT",
    "SCHEMAS",
    "JobServer",
    "LoggedServer",
    "RecordedRequest",
    "Reply",
    "free_port",
    "logged_serve",
    "refused_url",
    "run",
    "run_cli",
]
