"""What a new user meets first: the README's set-up, `--help`, the generated READMEs and the
contract's worked example agree with what the tools really do."""

from __future__ import annotations

import json
import re

import pytest
import requests
from support import ROOT, SCHEMAS, logged_serve, run_cli

from generator.schema import load_schemas


def section(markdown: str, heading: str) -> str:
    """The text under a `## heading` up to the next heading of the same level."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", markdown, re.M | re.S)
    assert match, f"no section {heading!r}"
    return match.group(1)


def test_the_setup_makes_a_virtualenv_and_names_the_serve_extra() -> None:
    setup = section((ROOT / "README.md").read_text(encoding="utf-8"), "Set-up on a fresh machine")
    venv = setup.find("python3 -m venv .venv")
    assert venv != -1 and setup.find(". .venv/bin/activate") > venv
    assert venv < setup.find("pip install -e .")  # made before anything is installed into it
    assert "pip install -e '.[serve]'" in setup


@pytest.mark.parametrize("package", ["python", "typescript"])
def test_generated_readmes_explain_the_required_marks(package: str) -> None:
    readme = (ROOT / "generated" / package / "README.md").read_text(encoding="utf-8")
    first_mark = min(readme.find("[✓]"), readme.find("[✗]"))
    assert first_mark != -1
    legend = re.search(
        r"\[✓\] if the payload must have it or \[✗\] if it may\s+be left out", readme
    )
    assert legend and legend.start() == first_mark  # explained before any field uses them


def _commands_section(help_text: str) -> dict[str, str]:
    """Command name -> its summary as shown (continuation lines joined)."""
    rows: dict[str, str] = {}
    name = ""
    for line in help_text.split("Commands:\n", 1)[1].splitlines():
        match = re.match(r"^  (\S+)\s+(.*)$", line)
        if match:
            name = match.group(1)
            rows[name] = match.group(2)
        elif line.strip() and name:
            rows[name] += " " + line.strip()
    return rows


def test_top_level_help_shows_whole_summaries() -> None:
    proc = run_cli("--help")
    assert proc.returncode == 0
    rows = _commands_section(proc.stdout)
    assert {"generate", "check", "serve", "bump", "diff", "validate", "list"} <= set(rows)
    for name, summary in rows.items():
        assert not summary.endswith("..."), (name, summary)
        own = run_cli(name, "--help").stdout
        # The summary is the command's own first sentence, word for word.
        first = " ".join(own.split("\n\n", 2)[1].split())
        assert first.startswith(summary.rstrip(".")), (name, summary, first)


def test_the_date_option_shows_a_readable_placeholder() -> None:
    proc = run_cli("bump", "--help")
    assert "--date YYYY-MM-DD" in proc.stdout
    assert "%Y" not in proc.stdout


def test_the_contracts_422_example_is_what_serve_answers() -> None:
    """docs/contract.md shows one worked 422 for the real schemas; serve must answer it."""
    contract = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")
    errors = section(contract, "Errors")
    request = re.search(r"`POST /api/jobs/([a-z-]+)` with\s+`(\{.*?\})`", errors, re.S)
    assert request, "the example names its request"
    shown = re.search(r"```json\n(.*?)```", errors, re.S)
    assert shown
    with logged_serve(load_schemas(SCHEMAS)) as served:
        answer = requests.post(
            f"{served.url}/api/jobs/{request.group(1)}",
            json=json.loads(request.group(2)),
            timeout=30,
        )
    assert answer.status_code == 422
    assert answer.json() == json.loads(shown.group(1))
