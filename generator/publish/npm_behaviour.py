"""The Behaviour of the TypeScript client's npm tarball: from its `.d.ts` declarations (the
constructor, job options, error classes), its compiled `.js` (the enqueue's body) and its
package.json (`engines.node`)."""

from __future__ import annotations

import re
from typing import Any

from generator.publish.artifacts import CLIENT_CLASS
from generator.publish.behaviour import ANY_OPTION, BARE, Behaviour, Param, envelope

_CLASS = re.compile(r"class\s+([A-Za-z_$][\w$]*)(?:<[^>{]*>)?(?:\s+extends\s+([\w$.]+))?[^{]*\{")
_INTERFACE = re.compile(r"interface\s+([A-Za-z_$][\w$]*)(?:<[^>{]*>)?[^{]*\{")
_NAME = r"[A-Za-z_$][\w$]*"


def npm_behaviour(
    package: dict[str, Any],
    declarations: dict[str, str],
    scripts: dict[str, str],
    exports: set[str],
) -> Behaviour:
    """declarations: .d.ts text with comments removed; scripts: the .js files' text."""
    engines = package.get("engines")
    node = engines.get("node") if isinstance(engines, dict) else None
    text = "\n".join(declarations[p] for p in sorted(declarations))
    classes = _bodies(_CLASS, text)
    return Behaviour(
        wire=_wire("\n".join(scripts[p] for p in sorted(scripts))),
        constructor=_constructor(classes, _bodies(_INTERFACE, text), _bases(text)),
        requires=f"node {node}" if isinstance(node, str) else "node *",
        job_options=_job_options(text, classes),
        errors=tuple(sorted(_errors(_bases(text)) & exports)),
    )


def _matching(text: str, start: int) -> int:
    """The index just past the bracket that closes the one before `start`."""
    depth, i = 1, start
    pairs = {"{": 1, "(": 1, "[": 1, "}": -1, ")": -1, "]": -1}
    while depth and i < len(text):
        depth += pairs.get(text[i], 0)
        i += 1
    return i


def _bodies(pattern: re.Pattern[str], text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for match in pattern.finditer(text):
        found.setdefault(match.group(1), text[match.end() : _matching(text, match.end()) - 1])
    return found


def _bases(text: str) -> dict[str, str | None]:
    return {
        m.group(1): m.group(2).rsplit(".", 1)[-1] if m.group(2) else None
        for m in _CLASS.finditer(text)
    }


def _split_top(text: str) -> list[str]:
    """text split at the commas (or semicolons, newlines) outside any bracket."""
    parts, depth, current = [], 0, ""
    for i, char in enumerate(text):
        if char in "{([<":
            depth += 1
        elif char in "})]" or (char == ">" and text[i - 1 : i] != "="):  # `=>` is no bracket
            depth -= 1
        if depth == 0 and char in ",;\n":
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return [p for p in parts if p]


def _members(body: str) -> list[tuple[str, bool, str]]:
    """(name, required, type) of each property of an interface or parameter list."""
    found = []
    for part in _split_top(body):
        member = re.match(
            rf"^(?:(?:readonly|private|public|protected)\s+)*({_NAME})(\??)\s*:\s*(.*?)(\s*=(?!>).*)?$",
            part,
            re.S,
        )
        if member:  # a default (`= {}`, in source) makes it optional too
            required = member.group(2) != "?" and not member.group(4)
            found.append((member.group(1), required, member.group(3).strip()))
    return found


def _constructor(
    classes: dict[str, str], interfaces: dict[str, str], bases: dict[str, str | None]
) -> tuple[Param, ...] | None:
    """The client's constructor parameters; a parameter typed by an options interface of the
    package stands for its members too (`config.baseUrl`)."""
    name: str | None = CLIENT_CLASS
    while name is not None and name in classes:
        found = re.search(r"(?:^|[;\s])constructor\s*\(", classes[name])
        if found is not None:
            inner = classes[name][found.end() : _matching(classes[name], found.end()) - 1]
            params: list[Param] = []
            for param, required, kind in _members(inner):
                params.append(Param(param, required))
                for member, member_required, _ in _members(interfaces.get(kind, "")):
                    params.append(Param(f"{param}.{member}", required and member_required))
            return tuple(params)
        name = bases.get(name)
    return None


def _wire(scripts: str) -> str:
    """The enqueue's body: an object literal with a `payload` key, else the bare payload
    `JSON.stringify(payload)` sends; "" when unseen."""
    literal = re.search(r"body\s*:\s*(?:JSON\.stringify\(\s*)?\{(?=\s*payload\b)", scripts)
    if literal is not None:
        inner = scripts[literal.end() : _matching(scripts, literal.end()) - 1]
        keys = [re.split(r"\s*:", part, maxsplit=1)[0].strip() for part in _split_top(inner)]
        return envelope([k for k in keys if re.fullmatch(_NAME, k)])
    if re.search(r"body\s*:\s*JSON\.stringify\(\s*payload\s*\)", scripts):
        return BARE
    return ""


def _job_options(text: str, classes: dict[str, str]) -> tuple[str, ...]:
    """The members of the package's JobOptions interface; else any option when sendToQueue
    takes `opts`; else none."""
    options = _bodies(_INTERFACE, text).get("JobOptions")
    if options is not None:
        return tuple(sorted(name for name, _, _ in _members(options)))
    for body in classes.values():
        found = re.search(r"sendToQueue\s*(?:<[^>]*>)?\s*\(", body)
        if found is not None:
            inner = body[found.end() : _matching(body, found.end()) - 1]
            names = [name for name, _, _ in _members(inner)]
            return (ANY_OPTION,) if "opts" in names else ()
    return ()


def _errors(bases: dict[str, str | None]) -> set[str]:
    errors: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, base in bases.items():
            if name not in errors and base is not None and base in errors | {"Error"}:
                errors.add(name)
                changed = True
    return errors
