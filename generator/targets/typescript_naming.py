"""The TypeScript target's naming rules, read from the runtime itself: a message method may
not take a member of WorkerClient or of the class it extends, and a schema type may not take
a name the package exports or declares at the top of a module."""

from __future__ import annotations

import functools
import re

from generator import contract
from generator.naming import NamingRules, camel, template_lines
from generator.templating import runtime_root, templates_root

CLIENT_CLASSES = ("WorkerClient", "BaseWorkerClient")
# Every object has these (a `then` member would make the client awaitable), and a type of a
# global's name would shadow it in types.ts.
OBJECT_MEMBERS = frozenset(
    {"constructor", "then", "toJSON", "toString", "toLocaleString", "valueOf"}
    | {"hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable"}
)
GLOBAL_TYPES = frozenset(
    {"Record", "Promise", "Array", "Object", "String", "Number", "Boolean", "Error", "Date"}
    | {"Map", "Set", "Partial", "Readonly", "Required", "Pick", "Omit", "JSON", "Symbol"}
)
_CLASS = re.compile(r"^export class (\w+)[^{]*\{\n(.*?)^\}", re.M | re.S)
_MEMBER = re.compile(
    r"^  (?:(?:public|protected|readonly|static|async|get|set|override|declare)\s+)*"
    r"([A-Za-z_$][\w$]*)\s*[(<:=?!;]",
    re.M,
)
_DECLARED = re.compile(
    r"^export (?:declare )?(?:abstract )?(?:class|interface|type|const|let|function|enum|"
    r"async function) ([A-Za-z_$][\w$]*)",
    re.M,
)
_BRACES = re.compile(r"^export (?:type )?\{([^}]*)\}", re.M)


def method(kebab: str) -> str:
    return camel(kebab)


@functools.cache
def naming() -> NamingRules:
    sources = [
        p.read_text(encoding="utf-8") for p in sorted((runtime_root() / "typescript").rglob("*.ts"))
    ] + [
        template_lines(p.read_text(encoding="utf-8"))
        for p in sorted((templates_root() / "typescript" / "src").glob("*.jinja"))
    ]
    members: set[str] = set(OBJECT_MEMBERS)
    types: set[str] = set(GLOBAL_TYPES)
    for text in sources:
        for name, body in _CLASS.findall(text):
            if name in CLIENT_CLASSES:
                members |= set(_MEMBER.findall(body))
        types |= set(_DECLARED.findall(text))
        for group in _BRACES.findall(text):
            for entry in group.split(","):
                words = entry.replace("type ", " ").split()
                if words:
                    types.add(words[-1])  # `A as B` exports B
    types |= contract.exported_names()
    return NamingRules(
        language="TypeScript",
        method=method,
        reserved_members=frozenset(members),
        reserved_types=frozenset(types),
    )
