"""jsontext.indented is json.dumps with indent and sorted keys, only faster on a re-run."""

from __future__ import annotations

import json

import pytest
from support import ROOT

from generator.jsontext import indented
from generator.schema import load_schemas
from generator.speed.store import Cache
from generator.speed.tables import PieceTable

ODD = {
    "b": {"z": [1, 2.5, -0.0, 10**30, None, True], "a": {}, "é": "ü\u2028\x00"},
    "a": [],
    "": {"nested": {"deeper": {"x": [{"y": "z"}]}}},
    "__proto__": {"k": "v"},
}


@pytest.mark.parametrize("ensure_ascii", [True, False])
@pytest.mark.parametrize("indent", [1, 2])
@pytest.mark.parametrize("depth", [0, 1, 2, 3])
def test_indented_equals_json_dumps(ensure_ascii: bool, indent: int, depth: int) -> None:
    for value in (ODD, {}, {"a": 1}, [ODD], "text", {"$defs": ODD, "messages": {"m": "M"}}):
        expected = json.dumps(value, indent=indent, sort_keys=True, ensure_ascii=ensure_ascii)
        assert indented(value, indent, ensure_ascii, depth=depth) == expected


def test_the_real_bundle_through_a_piece_table(tmp_path) -> None:  # type: ignore[no-untyped-def]
    catalogue = load_schemas(ROOT / "schemas")
    bundle = {"$defs": catalogue.defs, "messages": {m.type: m.title for m in catalogue.messages}}
    expected = json.dumps(bundle, indent=1, sort_keys=True, ensure_ascii=False)
    cache = Cache(tmp_path)
    for _ in range(2):  # filling the table, then reading from it
        table = PieceTable(cache, "json", "bundle")
        assert indented(bundle, 1, False, table) == expected
        table.save()
