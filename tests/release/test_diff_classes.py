"""`diff` on fixture schema pairs: one pair per change class, each classified exactly."""

from __future__ import annotations

import pytest
from release_helpers import DIFF_FIXTURES

from generator.diffing import compare
from generator.schema import load_schemas

DOWNLOAD = "file-download-request"
UPLOAD = "file-upload-request"

# case -> every change expected: (message, path, severity, code). Nothing else may show up.
EXPECTED: dict[str, set[tuple[str, str, str, str]]] = {
    "message-removed": {(UPLOAD, "", "breaking", "message-removed")},
    "message-added": {("file-vectorize-request", "", "additive", "message-added")},
    "field-removed": {(DOWNLOAD, "note", "breaking", "field-removed")},
    "nested-field-removed": {
        (DOWNLOAD, "storageLocation.path", "breaking", "field-removed"),
        (UPLOAD, "source.path", "breaking", "field-removed"),
    },
    "optional-field-added": {(DOWNLOAD, "retries", "additive", "field-added")},
    "required-field-added": {
        (DOWNLOAD, "checksum", "breaking", "required-field-added"),
        (DOWNLOAD, "", "docs", "examples-changed"),
    },
    "field-became-required": {
        (DOWNLOAD, "priority", "breaking", "field-required"),
        (DOWNLOAD, "", "docs", "examples-changed"),
    },
    "type-changed": {(DOWNLOAD, "note", "breaking", "type-changed")},
    "type-narrowed": {(DOWNLOAD, "size", "breaking", "type-narrowed")},
    "type-widened": {(DOWNLOAD, "priority", "additive", "type-widened")},
    "nullable-widened": {(DOWNLOAD, "note", "additive", "type-widened")},
    "format-added": {(DOWNLOAD, "note", "breaking", "format-added")},
    "enum-added": {(DOWNLOAD, "note", "breaking", "enum-added")},
    "items-type-changed": {(DOWNLOAD, "tags[]", "breaking", "type-changed")},
    "constraint-added": {(DOWNLOAD, "note", "breaking", "constraint-narrowed")},
    "enum-value-removed": {
        (DOWNLOAD, "storageLocation.provider", "breaking", "enum-value-removed"),
        (UPLOAD, "source.provider", "breaking", "enum-value-removed"),
    },
    "enum-value-added": {
        (DOWNLOAD, "storageLocation.provider", "additive", "enum-value-added"),
        (UPLOAD, "source.provider", "additive", "enum-value-added"),
    },
    "object-closed": {(DOWNLOAD, "options", "breaking", "object-closed")},
    "object-opened": {
        (DOWNLOAD, "storageLocation", "additive", "object-opened"),
        (UPLOAD, "source", "additive", "object-opened"),
    },
    "docs-only": {
        (DOWNLOAD, "", "docs", "examples-changed"),
        (DOWNLOAD, "modelId", "docs", "description-changed"),
        (DOWNLOAD, "storageLocation.bucket", "docs", "description-changed"),
        (UPLOAD, "source.bucket", "docs", "description-changed"),
    },
    # Shared definitions renamed and an inline object moved into shared/: same shapes.
    "renamed-same-shape": set(),
}
LEVEL = {"breaking": "major", "additive": "minor", "docs": "patch"}


def _report(case: str):  # type: ignore[no-untyped-def]
    folder = DIFF_FIXTURES / case
    old = load_schemas(folder / "old")
    new = load_schemas(folder / "new")
    return compare(old, new, "old", "new")


def test_every_fixture_pair_has_an_expectation() -> None:
    on_disk = {p.name for p in DIFF_FIXTURES.iterdir() if p.is_dir()}
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_each_change_is_classified_and_named_by_message_and_field(case: str) -> None:
    report = _report(case)
    found = {(c.message, c.path, c.severity, c.code) for c in report.changes}
    assert found == EXPECTED[case]
    severities = {c.severity for c in report.changes}
    expected_level = next((LEVEL[s] for s in LEVEL if s in severities), "none")
    assert report.level == expected_level


def test_change_details_say_what_happened() -> None:
    details = {c.where: c.detail for c in _report("enum-value-removed").changes}
    assert details == {
        f"{DOWNLOAD}: storageLocation.provider": 'enum value "minio" removed',
        f"{UPLOAD}: source.provider": 'enum value "minio" removed',
    }
    (change,) = _report("type-narrowed").changes
    assert change.detail == "type narrowed from number to integer"
    (change,) = _report("constraint-added").changes
    assert change.detail == "maxLength 80 added"


def test_reversing_a_pair_reverses_the_class() -> None:
    """Removing what was added breaks; re-opening what was closed adds."""
    for case, reverse_code in [
        ("optional-field-added", "field-removed"),
        ("object-closed", "object-opened"),
        ("type-narrowed", "type-widened"),
        ("enum-value-added", "enum-value-removed"),
        ("format-added", "format-removed"),
        ("enum-added", "enum-removed"),
        ("constraint-added", "constraint-widened"),
        ("field-became-required", "field-optional"),
    ]:
        folder = DIFF_FIXTURES / case
        report = compare(load_schemas(folder / "new"), load_schemas(folder / "old"), "n", "o")
        codes = {c.code for c in report.changes} - {"examples-changed"}
        assert codes == {reverse_code}, case


def test_output_is_sorted_and_deterministic() -> None:
    first = _report("docs-only")
    again = _report("docs-only")
    assert first == again
    keys = [c.sort_key for c in first.changes]
    assert keys == sorted(keys)


def test_identical_folders_have_no_changes() -> None:
    folder = DIFF_FIXTURES / "field-removed" / "old"
    report = compare(load_schemas(folder), load_schemas(folder), "a", "b")
    assert report.changes == () and report.level == "none"
