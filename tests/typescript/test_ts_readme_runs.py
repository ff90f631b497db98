"""The TypeScript README's usage examples run, as written, against `serve`: compiled with the
real tsc and run with node, each must exit 0 (an uncaught error from an example a user
copies is a broken first run). Only the placeholder URL is replaced by the local server's."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import logged_serve
from ts_support import CONSUMER_TSCONFIG, PACKAGE_DIR, consumer_project, run, tsc_path

from generator.ir import Catalogue

PLACEHOLDER_URL = "http://localhost:3000"
README = PACKAGE_DIR / "README.md"


def usage_blocks(markdown: str) -> list[tuple[str, str]]:
    """(### heading, code) of every ```typescript block of the Usage section."""
    usage = markdown.split("\n## Usage\n", 1)[1].split("\n## ", 1)[0]
    blocks: list[tuple[str, str]] = []
    for part in re.split(r"^### ", usage, flags=re.M)[1:]:
        heading = part.splitlines()[0]
        for code in re.findall(r"^```typescript\n(.*?)^```$", part, re.M | re.S):
            blocks.append((heading, code))
    return blocks


BLOCKS = usage_blocks(README.read_text(encoding="utf-8")) if README.is_file() else []


def test_the_validation_example_is_among_them() -> None:
    assert "Validation before sending" in [heading for heading, _ in BLOCKS]


@pytest.fixture(scope="module")
def serve_url(catalogue: Catalogue) -> Iterator[str]:
    with logged_serve(catalogue) as served:
        yield served.url


@pytest.mark.parametrize(("heading", "code"), BLOCKS, ids=[h for h, _ in BLOCKS])
def test_usage_example_runs(
    heading: str, code: str, ts_package: Path, serve_url: str, tmp_path: Path
) -> None:
    project = consumer_project(
        tmp_path / "example", ts_package, {"example.ts": code.replace(PLACEHOLDER_URL, serve_url)}
    )
    emitting = json.loads(json.dumps(CONSUMER_TSCONFIG))
    emitting["compilerOptions"].update({"noEmit": False, "outDir": "out"})
    (project / "tsconfig.json").write_text(json.dumps(emitting))
    run([str(tsc_path(ts_package)), "-p", "tsconfig.json", "--pretty", "false"], cwd=project)
    proc = run(["node", "out/example.js"], cwd=project, check=False, timeout=120)
    assert proc.returncode == 0, f"{heading}:\n{proc.stdout}\n{proc.stderr}"
