"""How the change of one validation keyword is classified (compare.py walks the shapes).

A keyword the IR does not model is compared on the bundled schema node: a bound that moves
inwards, a new constraint or any change that cannot be ordered narrows (breaking); a removed
constraint widens (additive). Two regexes or two subschemas cannot be compared in general:
such a change is "not proven compatible".
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

# Keywords the IR represents: compared through TypeExpr and Field, not as raw keywords.
STRUCTURAL = frozenset(
    {
        "type",
        "enum",
        "const",
        "format",
        "items",
        "properties",
        "required",
        "additionalProperties",
        "$ref",
        "anyOf",
        "oneOf",
        "x-secret",
        "examples",
        "prefixItems",
        "patternProperties",
        "dependentRequired",
    }
)
# Names and bookkeeping: renaming a type changes no shape.
IGNORED = frozenset({"title", "$schema", "$id", "$defs", "$comment"})
# Annotations change what the generated code documents or defaults to, not what it accepts.
ANNOTATIONS = frozenset(
    {"description", "default", "deprecated", "readOnly", "writeOnly", "contentMediaType"}
)
LOWER_BOUNDS = frozenset(
    {"minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties", "minContains"}
)
UPPER_BOUNDS = frozenset(
    {"maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties", "maxContains"}
)
MISSING: Any = object()


# Keywords whose new value cannot be compared with the old one in general: two regexes, two
# subschemas. Adding one still narrows and removing one still widens.
UNDECIDABLE = frozenset(
    {"pattern", "not", "if", "then", "else", "allOf", "contains", "propertyNames"}
    | {"dependentSchemas", "unevaluatedItems", "unevaluatedProperties", "contentSchema"}
)


def undecidable(key: str, old: Any, new: Any) -> bool:
    return key in UNDECIDABLE and old is not MISSING and new is not MISSING


def narrows(key: str, old: Any, new: Any) -> bool:
    if new is MISSING:
        return False  # a constraint was removed: more values are accepted
    if old is MISSING:
        return key != "uniqueItems" or bool(new)
    if is_number(old) and is_number(new):
        if key in LOWER_BOUNDS:
            return bool(new > old)
        if key in UPPER_BOUNDS:
            return bool(new < old)
    if key == "uniqueItems":
        return bool(new)
    if key == "multipleOf" and is_number(old) and is_number(new):
        # Every multiple of old is a multiple of new exactly when new divides old.
        return not divides(new, old)
    return True  # changed in a way we cannot order: assume the worst


def anything(schema: Any) -> bool:
    return schema is True or schema == {}


def may_match(pattern: str, name: str) -> bool:
    """Whether a declared property name may match an ECMA-262 pattern (True when Python's
    re cannot tell)."""
    try:
        return re.search(pattern, name) is not None
    except re.error:
        return True


def divides(divisor: float, value: float) -> bool:
    a, b = Decimal(str(value)), Decimal(str(divisor))
    return b != 0 and a % b == 0


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def keyword_detail(key: str, old: Any, new: Any) -> str:
    if old is MISSING:
        return f"{key} {canon(new)} added"
    if new is MISSING:
        return f"{key} {canon(old)} removed"
    return f"{key} changed from {canon(old)} to {canon(new)}"


def canon(value: Any) -> str:
    if value is MISSING:
        return "<missing>"
    return json.dumps(value, sort_keys=True, ensure_ascii=False)
