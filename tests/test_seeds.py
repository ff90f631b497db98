"""schemas/ against the seed documents (tests/seeds/) and the schema conventions.

The seeds are the published clients' READMEs; every message type, field, JSON type and
required flag they list must be in schemas/ exactly. Message types the seeds do not list are
welcome: they are held to the conventions like every schema. See schemas/README.md for the
conventions checked here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import seeds
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from support import ROOT, SCHEMAS, run_cli

from generator.targets import reserved_type_names

SCHEMA_DIR = SCHEMAS
SHARED_DIR = SCHEMA_DIR / "shared"


SEED = seeds.merged_seed_messages()
# Secret by shape or by name: these must carry `x-secret: true` wherever they appear.
SECRET_DEFS = {"StorageCredentials", "OAuthCredentials", "EncryptedCredentials"}
# The schemas/README.md convention for names that must be marked (narrower than the rule the
# generated clients redact by, generator.schema.SECRET_NAME_RE, which needs no marking).
SECRET_NAME_RE = re.compile(
    r"(?i)(token|password|passphrase|secret|apikey|api_key|privatekey|ciphertext)$"
)


class _Loader(yaml.SafeLoader):
    """Timestamps stay strings, as in the generator: JSON Schema has no date type."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@cache
def load(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506


def message_files() -> dict[str, Path]:
    return {p.stem: p for p in sorted(SCHEMA_DIR.glob("*.yaml"))}


def shared_files() -> list[Path]:
    return sorted(SHARED_DIR.glob("*.yaml"))


def resolve(node: dict[str, Any], base: Path) -> tuple[dict[str, Any], Path]:
    """Follow `$ref`s ('<relative file>#/$defs/<Name>' or '#/$defs/<Name>') to a definition."""
    seen = set()
    while "$ref" in node:
        ref = node["$ref"]
        file_part, _, fragment = ref.partition("#")
        target = (base.parent / file_part).resolve() if file_part else base
        key = (target, fragment)
        assert key not in seen, f"circular $ref {ref} from {base}"
        seen.add(key)
        match = re.fullmatch(r"/\$defs/([A-Za-z0-9]+)", fragment)
        assert match, f"{base.name}: $ref {ref!r} must point at '#/$defs/<Name>'"
        assert target.is_file(), f"{base.name}: $ref {ref!r}: no file {target}"
        defs = load(target).get("$defs", {})
        assert match.group(1) in defs, f"{base.name}: $ref {ref!r}: no such definition"
        node, base = defs[match.group(1)], target
    return node, base


def walk(node: Any, pointer: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every subschema of a schema document (not examples)."""
    if not isinstance(node, dict):
        return
    yield pointer, node
    for key in ("properties", "$defs"):
        for name, sub in node.get(key, {}).items():
            yield from walk(sub, f"{pointer}/{key}/{name}")
    for key in ("items", "additionalProperties"):
        if isinstance(node.get(key), dict):
            yield from walk(node[key], f"{pointer}/{key}")
    for key in ("oneOf", "anyOf"):
        for index, sub in enumerate(node.get(key, [])):
            yield from walk(sub, f"{pointer}/{key}/{index}")


def all_documents() -> list[Path]:
    return list(message_files().values()) + shared_files()


def normalise(text: str) -> str:
    return " ".join(text.replace("`", "").split())


# --------------------------------------------------------------------------- the seed


def test_merged_seed_has_70_messages() -> None:
    assert len(SEED) == 70
    python = seeds.parse_python_seed()
    assert len(python) == 46
    assert set(python) < set(SEED)
    latest = seeds.parse_latest_seeds()
    assert [len(latest["002"]), len(latest["003"])] == [68, 68]
    assert set(latest["002"]) < set(SEED)


def test_later_seed_wins() -> None:
    assert "ekgEdges" in [f.name for f in SEED["model-metamodel-detection-found"].fields]
    assert "gltfPreviewPath" in [f.name for f in SEED["thumbnail-generation-completed"].fields]
    # The latest releases (002, 003) win over 001.
    assert "animatedPreviewPath" in [f.name for f in SEED["thumbnail-generation-completed"].fields]
    fields = [f.name for f in SEED["model-technical-metadata-completed"].fields]
    assert "slicerRecommendations" in fields
    assert SEED["slicing-fdm-request"].source == "003"
    names = [f.name for f in SEED["analytics-collection-request"].fields]
    assert names == ["marketplace", "query", "options"]
    query = SEED["analytics-collection-request"].field("query")
    assert (query.required, query.description) == (True, "The search query to use")


def test_every_seed_message_has_a_schema() -> None:
    missing = sorted(set(SEED) - set(message_files()))
    assert not missing, f"seed message types without a schema: {missing}"


def test_generated_method_names_are_the_published_ones() -> None:
    """Every client method of both published clients keeps its name: 000's snake_case ones
    in the Python client, 001's camelCase ones in the TypeScript client."""
    from generator.schema import load_schemas
    from generator.targets.python_naming import method as python_method
    from generator.targets.typescript_naming import method as typescript_method

    types = {m.type for m in load_schemas(SCHEMA_DIR).messages}
    python = seeds.parse_python_seed()
    typescript = seeds.parse_typescript_seed(python_messages=python)
    latest = seeds.parse_latest_seeds()
    assert set(python) | set(typescript) | set(latest["002"]) | set(latest["003"]) <= types
    assert {k: m.method for k, m in python.items()} == {k: python_method(k) for k in python}
    assert {k: m.method for k, m in typescript.items()} == {
        k: typescript_method(k) for k in typescript
    }
    assert {m.source for m in python.values()} == {"000"}
    assert {m.source for m in typescript.values()} == {"001"}
    # The latest releases: PyPI's snake_case names, npm's camelCase ones.
    assert {k: m.method for k, m in latest["002"].items()} == {
        k: python_method(k) for k in latest["002"]
    }
    assert {k: m.method for k, m in latest["003"].items()} == {
        k: typescript_method(k) for k in latest["003"]
    }


# --------------------------------------------------------------------------- per message


@pytest.mark.parametrize("kebab", sorted(SEED))
def test_message_matches_seed(kebab: str) -> None:
    seed = SEED[kebab]
    path = SCHEMA_DIR / f"{kebab}.yaml"
    assert path.is_file(), f"schemas/{kebab}.yaml is missing"
    schema = load(path)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == seed.title
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert normalise(schema["description"]) == normalise(seed.description)

    properties = schema["properties"]
    assert list(properties) == [f.name for f in seed.fields], "fields differ from the seed"
    assert set(schema.get("required", [])) == {f.name for f in seed.fields if f.required}
    for field in seed.fields:
        prop = properties[field.name]
        if field.description:
            assert normalise(prop.get("description", "")).startswith(
                normalise(field.description)
            ), f"{field.name}: description does not keep the seed's text"
        target, _ = resolve(prop, path)
        if field.json_type:
            assert target.get("type") == field.json_type, f"{field.name}: JSON type"
        else:  # the seed gives no type (`storageItem() [✗]`); ours must still be a real one
            assert "type" in target, f"{field.name}: needs a type"


@pytest.mark.parametrize("kebab", sorted(message_files()))
def test_example_validates(kebab: str) -> None:
    path = SCHEMA_DIR / f"{kebab}.yaml"
    schema = load(path)
    examples = schema.get("examples")
    assert isinstance(examples, list) and len(examples) == 1, "exactly one example"
    validator = Draft202012Validator(
        {**schema, "$id": path.as_uri()},
        registry=_registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    errors = [
        f"/{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(examples[0])
    ]
    assert not errors, errors
    for name in schema.get("required", []):
        assert name in examples[0]


def test_format_checker_really_checks() -> None:
    # Without the format-nongpl extras these formats are silently accepted.
    checker = Draft202012Validator.FORMAT_CHECKER
    assert not checker.conforms("2025-13-45", "date-time")
    assert not checker.conforms("not a url", "uri")
    assert not checker.conforms("1234", "uuid")
    assert checker.conforms("2025-01-15T10:30:00Z", "date-time")


@cache
def _registry() -> Registry:
    resources = [
        (p.as_uri(), Resource.from_contents(load(p), default_specification=DRAFT202012))
        for p in shared_files()
    ]
    return Registry().with_resources(resources)


# --------------------------------------------------------------------------- conventions


@pytest.mark.parametrize(
    "path", all_documents(), ids=lambda p: p.relative_to(SCHEMA_DIR).as_posix()
)
def test_no_bare_objects(path: Path) -> None:
    for pointer, node in walk(load(path)):
        if node.get("type") != "object" or "properties" in node:
            continue
        extra = node.get("additionalProperties")
        if isinstance(extra, dict):
            continue  # a map
        assert extra is True and "Free-form" in node.get("description", ""), (
            f"{pointer}: an object needs properties, an additionalProperties schema, or "
            "`additionalProperties: true` with 'Free-form' in its description"
        )


@pytest.mark.parametrize(
    "path", all_documents(), ids=lambda p: p.relative_to(SCHEMA_DIR).as_posix()
)
def test_objects_say_whether_closed(path: Path) -> None:
    for pointer, node in walk(load(path)):
        if node.get("type") == "object":
            assert "additionalProperties" in node, f"{pointer}: open or closed?"
        if node.get("type") == "array":
            assert "items" in node, f"{pointer}: array without items"


@pytest.mark.parametrize(
    "path", all_documents(), ids=lambda p: p.relative_to(SCHEMA_DIR).as_posix()
)
def test_only_x_secret_and_secrets_marked(path: Path) -> None:
    def keys(node: Any, pointer: str) -> Iterator[tuple[str, str]]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("examples", "enum", "const", "default"):
                    continue
                if not pointer.endswith(("/properties", "/$defs")):
                    yield pointer, key
                yield from keys(value, f"{pointer}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from keys(value, f"{pointer}/{index}")

    for pointer, key in keys(load(path), ""):
        assert not key.startswith("x-") or key == "x-secret", f"{pointer}: unknown {key}"

    for pointer, node in walk(load(path)):
        for name, prop in node.get("properties", {}).items():
            ref_name = prop.get("$ref", "").rpartition("/")[2]
            if ref_name in SECRET_DEFS or SECRET_NAME_RE.search(name):
                assert prop.get("x-secret") is True, f"{pointer}/properties/{name}: x-secret"


@pytest.mark.parametrize("path", shared_files(), ids=lambda p: p.name)
def test_shared_file_shape(path: Path) -> None:
    data = load(path)
    assert set(data) <= {"$schema", "description", "$defs"}
    assert data.get("description")
    for name, definition in data["$defs"].items():
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", name)
        assert name not in reserved_type_names() and not name.endswith("Message")
        assert definition.get("title") == name
        assert definition.get("description")


def test_type_names_unique() -> None:
    titles: dict[str, str] = {}
    for path in all_documents():
        for pointer, node in walk(load(path)):
            if "title" in node:
                where = f"{path.name}#{pointer}"
                assert node["title"] not in titles, f"{where} and {titles[node['title']]}"
                titles[node["title"]] = where


def test_cli_lists_every_seed_message_type() -> None:
    expected = sorted(seeds.parse_typescript_seed(seeds.TYPESCRIPT_SEED))
    assert len(expected) == 58
    listed = run_cli("list", cwd=ROOT)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines() == sorted(message_files())
    assert set(expected) <= set(listed.stdout.splitlines())
    validated = run_cli("validate", cwd=ROOT)
    assert validated.returncode == 0, validated.stderr
    assert validated.stdout.startswith(f"ok: {len(message_files())} messages,")
