"""Every message's examples validate against its bundled schema (or, without examples, the
smallest payload built from the schema does): the README and the tests send them."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from generator.errors import pointer_join
from generator.ir import MessageSpec, reachable
from generator.run import Pieces
from generator.schema.state import State
from generator.semantics import compile_validator

# Messages whose examples (or smallest payload) validated, by the digest of their bundled
# schema and examples: one cache entry, so an unchanged message costs a hash, not a compile.
EXAMPLES_KIND = "valid-examples"


def check_examples(spec: MessageSpec, state: State, passed: Pieces) -> None:
    """Every example validates; a message without one needs a payload the README and the
    tests can send, so the smallest one built from its schema must validate."""

    try:
        names = reachable(state.defs, spec.title, state.def_refs)
        schema = {**state.defs[spec.title], "$defs": {n: state.defs[n] for n in sorted(names)}}
    except KeyError:
        if state.errors:
            return  # a definition it needs failed to build; that error is reported
        raise
    source = json.dumps([schema, spec.title, spec.examples_json], sort_keys=True)
    digest = hashlib.sha256(source.encode()).hexdigest()
    state.example_digests[spec.source] = digest
    if passed.get(digest) is True:
        return
    before = len(state.errors)
    if _validate_examples(spec, state, schema) and len(state.errors) == before:
        passed.put(digest, True)


def _validate_examples(spec: MessageSpec, state: State, schema: dict[str, Any]) -> bool:
    """Report every example that fails; False when nothing could be validated."""
    from generator.examples import minimal_payload

    try:
        validator = compile_validator(schema)
    except ValueError:
        if state.errors:
            return False  # a definition it needs failed to build; that error is reported
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
        return True
    for index, example in enumerate(spec.examples):
        for err in validator.iter_errors(example):
            where = pointer_join("/examples", index, *err.instance_path)
            state.error(spec.source, where, f"example is not valid: {err.message}")
    return True
