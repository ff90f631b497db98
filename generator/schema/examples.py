"""Every message's examples validate against its bundled schema (or, without examples, the
smallest payload built from the schema does): the README and the tests send them."""

from __future__ import annotations

from typing import Any

from generator.errors import pointer_join
from generator.ir import MessageSpec, reachable
from generator.schema.state import State
from generator.semantics import compile_validator


def check_examples(spec: MessageSpec, state: State) -> None:
    """Every example validates; a message without one needs a payload the README and the
    tests can send, so the smallest one built from its schema must validate."""

    try:
        names = reachable(state.defs, spec.title, state.def_refs)
        schema = {**state.defs[spec.title], "$defs": {n: state.defs[n] for n in sorted(names)}}
    except KeyError:
        if state.errors:
            return  # a definition it needs failed to build; that error is reported
        raise
    _validate_examples(spec, state, schema)


def _validate_examples(spec: MessageSpec, state: State, schema: dict[str, Any]) -> None:
    """Report every example that fails."""
    from generator.examples import minimal_payload

    try:
        validator = compile_validator(schema)
    except ValueError:
        if state.errors:
            return  # a definition it needs failed to build; that error is reported
        raise
    if not spec.examples_json:
        problem = minimal_payload(state.defs, spec.title, validator)
        if problem is not None:
            state.error(
                spec.source,
                "/examples",
                "the README needs an example payload and the smallest one built from the "
                f"schema is not valid ({problem}); add `examples` to this schema",
            )
        return
    for index, example in enumerate(spec.examples):
        for err in validator.iter_errors(example):
            where = pointer_join("/examples", index, *err.instance_path)
            state.error(spec.source, where, f"example is not valid: {err.message}")
