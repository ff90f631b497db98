"""docs/contract.md says what generator/contract/ holds: each text the contract renders (the
retry policy, the error classes, the redaction rules, the job fields) appears in it verbatim."""

from __future__ import annotations

import re

import pytest
from support import ROOT

from generator.contract import ERROR_CLASSES, JOB_OPTIONS, RETRY, prose

DOCS = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(prose.sections()))
def test_docs_contain_the_contract_s_text(name: str) -> None:
    text = prose.sections()[name]
    assert (
        text in DOCS
    ), f"docs/contract.md lacks the {name} text; `python -m generator.contract.prose`"


def test_the_texts_name_every_fact() -> None:
    # The prose is rendered from the data: a new class, status or option shows up in it.
    assert all(f"`{c.name}`" in prose.error_table("docs") for c in ERROR_CLASSES)
    assert all(f"`{s}`" in prose.retries("docs") for s in RETRY.statuses)
    assert all(f"`{o.name}`" in DOCS for o in JOB_OPTIONS)


def test_bullmq_5_options_are_gone() -> None:
    names = {o.name for o in JOB_OPTIONS}
    assert not {"repeat", "debounce"} & names
    assert "deduplication" in names
    assert not re.search(r"`(repeat|debounce)`[^.]*(sent|accepted)", DOCS)
