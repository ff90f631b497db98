"""Helpers for the serve tests: `worker-client-gen serve` as a real process, redis-server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from support import FIXTURES, ROOT, SCHEMAS
from support.processes import (  # noqa: F401 (re-exported for the serve tests)
    REDIS_SERVER,
    STARTUP_LIMIT,
    ServeProcess,
    redis_server,
    require_redis_server,
    serve_process,
)

SERVE_FIXTURE = FIXTURES / "serve"
SCHEMAS_DIR = SCHEMAS
OPENAPI_DOC = ROOT / "generated" / "openapi.yaml"

API_KEY = "sk-serve-test-5b8e1d2c9f"
SECRET_VALUE = "hunter2-very-secret-71c4"


def openapi_components(doc_path: Path | None = None) -> dict[str, Any]:
    """components/schemas of generated/openapi.yaml (or another document)."""
    doc = yaml.safe_load((doc_path or OPENAPI_DOC).read_text(encoding="utf-8"))
    schemas: dict[str, Any] = doc["components"]["schemas"]
    return schemas


def assert_matches(component: str, body: Any, components: dict[str, Any]) -> None:
    """body conforms to components/schemas/<component> of the OpenAPI document."""
    schema = {
        "$ref": f"#/components/schemas/{component}",
        "components": {"schemas": components},
    }
    errors = [e.message for e in Draft202012Validator(schema).iter_errors(body)]
    assert errors == [], (component, body, errors)
