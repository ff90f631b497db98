"""What every client target's templates read of the contract: one place, so the Python and
TypeScript packages render their constants, READMEs and error tables from the same names."""

from __future__ import annotations

from typing import Any

import generator.contract as contract
from generator.contract import prose
from generator.contract.errors import hierarchy_lines, status_label
from generator.contract.jobs import json_kinds, option_types


def template_context() -> dict[str, Any]:
    return {
        "contract": contract,
        "prose": prose,
        "error_tree": hierarchy_lines(),
        "error_status_label": status_label,
        "option_types": option_types(),
        "json_kinds": json_kinds,
    }
