"""Both runtimes find the same secret values in a payload (what every redaction replaces):
one table of payloads, Python's Redactor and TypeScript's secretValues over each."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from worker_client._constants import REDACTED
from worker_client._redaction import Redactor

CASES: list[Any] = [
    {"apiKey": "key-123456", "name": "not secret"},
    {"credentials": {"accessToken": "tok-abcdef", "expiresIn": 3600, "scopes": ["a-long-scope"]}},
    {"pin": 123456, "password": 987654.5, "token": True, "secret": None},
    [{"nested": {"refreshToken": "refresh-999999"}}, {"plain": "refresh-999999-not"}],
    {"items": [{"clientSecret": ["one-secret", {"deeper": "two-secret"}]}]},
    {"short": {"password": "abc"}},
]


def _python(payload: Any) -> list[str]:
    redactor = Redactor([], payload)
    text = "\n".join(_every_string(payload))
    # A value the redactor found is replaced whole: redact each candidate alone.
    return sorted({s for s in text.split("\n") if s and redactor.text(s) == REDACTED})


def _every_string(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _every_string(v)]
    if isinstance(value, list):
        return [s for v in value for s in _every_string(v)]
    if isinstance(value, bool) or value is None:
        return []
    return [str(value)]


def test_python_and_typescript_find_the_same_secret_values(
    ts_package: Path, tmp_path: Path
) -> None:
    script = tmp_path / "secrets.mjs"
    dist = ts_package / "dist"
    script.write_text(
        f"import {{ secretValues }} from {json.dumps(str(dist / 'secrets.js'))};\n"
        f"import {{ MIN_SECRET_LENGTH }} from {json.dumps(str(dist / 'constants.js'))};\n"
        f"const cases = {json.dumps(CASES)};\n"
        "for (const c of cases) console.log(JSON.stringify([...new Set(secretValues(c))]"
        ".filter((s) => s.length >= MIN_SECRET_LENGTH).sort()));\n"
    )
    ran = subprocess.run(
        ["node", str(script)], capture_output=True, text=True, timeout=60, check=True
    )
    typescript = [json.loads(line) for line in ran.stdout.splitlines()]
    python = [_python(case) for case in CASES]
    assert python == typescript
    assert ["987654.5"] in python  # a number under a secret name counts in both
    assert "3600" in python[1]  # so does everything below a secret field
