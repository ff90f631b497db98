"""Parsers for the two seed documents in tests/seeds/ (see tests/seeds/README.md).

- 000: README of the Python client 4.0.9. One field per line:
  ``- `name` (json-type) [✓|✗]: description``.
- 001: README of the TypeScript client 4.0.21, flattened from HTML. All fields of a message
  sit on one line and each field name runs straight on from the previous field's description
  (``...to use`` + ``options(object) [✗]: ...`` reads ``to useoptions(object)``).

- 002 and 003: READMEs of the latest releases on PyPI (4.1.0) and npm (4.0.24), in the 000
  format. They are later still: what they list wins over 000 and 001.

001 is later than 000 and wins where the two disagree. `merged_seed_messages()` is what the
schema tests compare `schemas/` against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SEED_DIR = Path(__file__).resolve().parent / "seeds"
PYTHON_SEED = SEED_DIR / "000_de6a4d81f0f6501b.txt"
TYPESCRIPT_SEED = SEED_DIR / "001_7d6327954145b8bc.txt"
# The latest published releases, one per registry: nothing they list may go missing.
LATEST_PYTHON_SEED = SEED_DIR / "002_python_4.1.0_README.md"
LATEST_TYPESCRIPT_SEED = SEED_DIR / "003_typescript_4.0.24_README.md"

KEBAB_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
FIELD_NAME_RE = re.compile(r"^[a-z][A-Za-z0-9]*$")
# `(string) [✓]` / `() [✗]`: one per field in both seeds.
MARKER_RE = re.compile(r"\((\w*)\) \[([✓✗])\]")
PY_FIELD_RE = re.compile(r"^- `([^`]+)` \((\w*)\) \[([✓✗])\]:(.*)$")
# A description ending in one of these cannot run on into a field name, so whatever
# letters follow it are the whole name. Hyphens and slashes are not here on purpose:
# `ekg-edge-batch-create-requestsuccess` is a description word plus a name.
SENTENCE_END = ".)]}'\"?!:;,"

# Hand-checked field names for the glued 001 tokens that neither a punctuation boundary nor
# the 000 field names of the same message can split: the twelve message types 000 does not
# have. Each name was read off the 001 text by hand; a glued token is split at the longest
# name listed here that ends it (`to useoptions` -> `to use` + `options`,
# `in the EKGpropagationOptions` -> `in the EKG` + `propagationOptions`). Names that follow
# a sentence end (`...ID).source`) need no entry but are listed for completeness.
GLUED_NAMES: dict[str, tuple[str, ...]] = {
    "analytics-collection-request": ("marketplace", "query", "options"),
    "ekg-edge-batch-create-completed": (
        "requestId",
        "success",
        "statistics",
        "conflicts",
        "errors",
        "graphMetrics",
    ),
    "ekg-edge-batch-create-request": (
        "requestId",
        "source",
        "edges",
        "propagationOptions",
        "webhookUrl",
    ),
    "marketplace-intelligence-event": (
        "marketplace",
        "externalId",
        "listing",
        "metrics",
        "metadata",
        "queryContext",
        "collectedAt",
        "collectorVersion",
        "scrapingMethod",
    ),
    "marketplace-listing-description-generation-completed": (
        "modelId",
        "entityType",
        "targetMarketplace",
        "description",
        "metadata",
        "suggestedPrice",
        "error",
    ),
    "marketplace-listing-description-generation-request": (
        "modelId",
        "entityType",
        "entityName",
        "targetMarketplace",
        "userId",
        "webhookUrl",
        "technicalMetadata",
        "thumbnailUrls",
        "existingTags",
        "existingCategory",
        "brandVoice",
        "targetMarket",
        "keywords",
    ),
    "marketplace-listing-tags-generation-completed": (
        "modelId",
        "entityType",
        "tags",
        "metadata",
        "error",
    ),
    "marketplace-listing-tags-generation-request": (
        "modelId",
        "entityType",
        "entityName",
        "targetMarketplace",
        "userId",
        "webhookUrl",
        "technicalMetadata",
        "thumbnailUrls",
        "existingTags",
        "existingCategory",
        "tagLimit",
        "targetMarket",
        "style",
        "useCases",
    ),
    "marketplace-listing-title-generation-completed": (
        "modelId",
        "entityType",
        "title",
        "metadata",
        "error",
    ),
    "marketplace-listing-title-generation-request": (
        "modelId",
        "entityType",
        "currentName",
        "targetMarketplace",
        "userId",
        "webhookUrl",
        "technicalMetadata",
        "existingTags",
        "existingCategory",
        "characterLimit",
        "brandVoice",
        "targetMarket",
        "keywords",
    ),
    "marketplace-listing-update-completed": (
        "marketplace",
        "listingId",
        "status",
        "result",
        "error",
    ),
    "marketplace-listing-update-request": ("marketplace", "listingId", "updates", "credentials"),
}


@dataclass(frozen=True)
class SeedField:
    name: str
    json_type: str  # "" where the seed gives no type: `storageItem() [✗]`
    required: bool
    description: str


@dataclass(frozen=True)
class SeedMessage:
    type: str  # kebab-case message type, e.g. file-download-request
    title: str  # payload type name, e.g. FileDownloadRequestMessage
    method: str  # client method as the seed spells it (snake in 000, camel in 001)
    description: str
    fields: tuple[SeedField, ...]
    source: str  # which seed document: "000" or "001"

    def field(self, name: str) -> SeedField:
        for item in self.fields:
            if item.name == name:
                return item
        raise KeyError(name)


class SeedParseError(ValueError):
    pass


def _check_fields(kind: str, message: str, block: str, fields: list[SeedField]) -> None:
    """Nothing silently lost: one parsed field per `(type) [✓|✗]` marker, all well-formed."""
    markers = len(MARKER_RE.findall(block))
    if markers != len(fields):
        raise SeedParseError(
            f"{kind} seed, {message}: {markers} field markers but {len(fields)} fields parsed"
        )
    names = [f.name for f in fields]
    if len(set(names)) != len(names):
        raise SeedParseError(f"{kind} seed, {message}: duplicate field names {names}")
    for name in names:
        if not FIELD_NAME_RE.match(name):
            raise SeedParseError(f"{kind} seed, {message}: bad field name {name!r}")


# --------------------------------------------------------------------------- 000 (Python)


def parse_python_seed(
    path: Path | str = PYTHON_SEED, source: str = "000"
) -> dict[str, SeedMessage]:
    """A README in the 000 format (the latest releases of both registries use it too)."""
    text = Path(path).read_text(encoding="utf-8")
    start = text.index("## Available Message Types")
    end = text.index("\n## Configuration", start)
    sections = re.split(r"^### ", text[start:end], flags=re.M)[1:]
    messages: dict[str, SeedMessage] = {}
    for section in sections:
        kebab, _, body = section.partition("\n")
        kebab = kebab.strip()
        if not KEBAB_RE.match(kebab):
            raise SeedParseError(f"000 seed: bad message type {kebab!r}")
        desc_match = re.search(r"\*\*Description:\*\* (.*?)\n\*\*Method:\*\*", body, re.S)
        method_match = re.search(r"\*\*Method:\*\* `client\.(\w+)\(", body)
        title_match = re.search(r"\*\*Payload Type:\*\* `(\w+)`", body)
        if not (desc_match and method_match and title_match):
            raise SeedParseError(f"000 seed, {kebab}: description/method/payload type missing")
        field_block = body[body.index("**Fields:**") :]
        fields: list[SeedField] = []
        current: list[str] | None = None
        for line in field_block.splitlines()[1:]:
            match = PY_FIELD_RE.match(line)
            if match:
                name, json_type, mark, desc = match.groups()
                fields.append(SeedField(name, json_type, mark == "✓", desc.strip()))
                current = [desc.strip()]
            elif line.strip() and current is not None:
                # A description continued on the next line (none today, but keep it).
                current.append(line.strip())
                last = fields[-1]
                fields[-1] = SeedField(
                    last.name, last.json_type, last.required, " ".join(current).strip()
                )
        _check_fields("000", kebab, field_block, fields)
        messages[kebab] = SeedMessage(
            type=kebab,
            title=title_match.group(1),
            method=method_match.group(1),
            description=_clean_description(desc_match.group(1)),
            fields=tuple(fields),
            source=source,
        )
    return messages


def parse_latest_seeds() -> dict[str, dict[str, SeedMessage]]:
    """002 and 003, keyed by their source ("002": PyPI, "003": npm)."""
    return {
        "002": parse_python_seed(LATEST_PYTHON_SEED, source="002"),
        "003": parse_python_seed(LATEST_TYPESCRIPT_SEED, source="003"),
    }


def _clean_description(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return "\n".join(lines).strip()


# --------------------------------------------------------------------------- 001 (TypeScript)


def parse_typescript_seed(
    path: Path | str = TYPESCRIPT_SEED,
    python_messages: dict[str, SeedMessage] | None = None,
) -> dict[str, SeedMessage]:
    """Parse 001; `python_messages` (000, parsed by default) supplies known field names."""
    if python_messages is None:
        python_messages = parse_python_seed()
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    start = lines.index("Available Message Types") if "Available Message Types" in lines else None
    if start is None:
        # The heading is glued to the previous code block: `...});Available Message Types`.
        start = next(i for i, line in enumerate(lines) if line.endswith("Available Message Types"))
    end = lines.index("Configuration", start)
    body = lines[start + 1 : end]
    heads = [
        i
        for i in range(len(body) - 1)
        if KEBAB_RE.match(body[i]) and body[i + 1].startswith("Description: ")
    ]
    messages: dict[str, SeedMessage] = {}
    for n, head in enumerate(heads):
        block = body[head : heads[n + 1] if n + 1 < len(heads) else len(body)]
        kebab = block[0]
        method_at = next(i for i, line in enumerate(block) if line.startswith("Method: client."))
        description = "\n".join(block[1:method_at]).removeprefix("Description: ")
        method = re.match(r"Method: client\.(\w+)\(", block[method_at])
        title = re.match(r"Payload Type: (\w+)$", block[method_at + 1])
        if not (method and title and block[method_at + 2] == "Fields:"):
            raise SeedParseError(f"001 seed, {kebab}: method/payload type/fields missing")
        field_text = "\n".join(block[method_at + 3 :])
        known = python_messages[kebab].fields if kebab in python_messages else ()
        fields = _split_glued_fields(kebab, field_text, {f.name for f in known})
        _check_fields("001", kebab, field_text, fields)
        listed = GLUED_NAMES.get(kebab)
        if listed is not None and tuple(f.name for f in fields) != listed:
            raise SeedParseError(
                f"001 seed, {kebab}: parsed {[f.name for f in fields]}, GLUED_NAMES says {listed}"
            )
        messages[kebab] = SeedMessage(
            type=kebab,
            title=title.group(1),
            method=method.group(1),
            description=_clean_description(description),
            fields=tuple(fields),
            source="001",
        )
    return messages


def _split_glued_fields(message: str, text: str, known_names: set[str]) -> list[SeedField]:
    markers = list(re.finditer(MARKER_RE.pattern + ":", text))
    fields: list[SeedField] = []
    prev_end = 0
    pending: tuple[str, str, bool] | None = None  # (name, type, required) awaiting its text
    for marker in markers:
        desc_tail, name = _split_token(message, text[prev_end : marker.start()], known_names)
        if pending is not None:
            fields.append(SeedField(pending[0], pending[1], pending[2], desc_tail.strip()))
        elif desc_tail.strip():
            raise SeedParseError(f"001 seed, {message}: text before the first field")
        pending = (name, marker.group(1), marker.group(2) == "✓")
        prev_end = marker.end()
    if pending is not None:
        fields.append(SeedField(pending[0], pending[1], pending[2], text[prev_end:].strip()))
    return fields


def _split_token(message: str, segment: str, known_names: set[str]) -> tuple[str, str]:
    """Split 'previous description + field name' into its two parts."""
    match = re.search(r"[A-Za-z0-9_]+$", segment)
    if match is None:
        raise SeedParseError(f"001 seed, {message}: no field name before {segment[-40:]!r}")
    run = match.group(0)
    before = segment[: match.start()]
    # 1. Nothing before it, or the description ends a sentence/clause: the run is the name.
    if not before.strip() or before[-1] in SENTENCE_END:
        return before, run
    # 2. The longest field name 000 lists for the same message that ends the run.
    candidates = [n for n in known_names if run.endswith(n) and len(n) < len(run)]
    if candidates:
        name = max(candidates, key=len)
        return segment[: len(segment) - len(name)], name
    # 3. The hand-checked names of GLUED_NAMES.
    candidates = [n for n in GLUED_NAMES.get(message, ()) if run.endswith(n) and len(n) < len(run)]
    if candidates:
        name = max(candidates, key=len)
        return segment[: len(segment) - len(name)], name
    raise SeedParseError(
        f"001 seed, {message}: cannot split glued token {run!r}; add the field name to GLUED_NAMES"
    )


# --------------------------------------------------------------------------- merged


def _normalise(text: str) -> str:
    return " ".join(text.replace("`", "").split())


@cache
def merged_seed_messages() -> dict[str, SeedMessage]:
    """Every message type of every seed, the latest winning; sorted by message type.

    000 and 001 are merged as below; then each message type of the latest releases (002 and
    003, which agree) replaces the merged one: its fields, in its order, and its description.
    `method` stays camelCase (003's).
    """
    merged = _merged_first_seeds()
    latest = parse_latest_seeds()
    pypi, npm = latest["002"], latest["003"]
    if _shape(pypi) != _shape(npm):
        raise SeedParseError("002 and 003 list different messages or fields")
    for kebab, message in npm.items():
        earlier = merged.get(kebab)
        if earlier is not None:
            lost = [
                f.name for f in earlier.fields if f.name not in {g.name for g in message.fields}
            ]
            if lost:
                raise SeedParseError(f"{kebab}: 003 lacks fields of 001 {lost}")
        merged[kebab] = message
    return dict(sorted(merged.items()))


def _shape(messages: dict[str, SeedMessage]) -> dict[str, list[tuple[str, str, bool]]]:
    return {k: [(f.name, f.json_type, f.required) for f in m.fields] for k, m in messages.items()}


def _merged_first_seeds() -> dict[str, SeedMessage]:
    """Every message type of 000 and 001, 001 winning; sorted by message type.

    Field names, types, required flags and descriptions come from 001 (a superset of 000).
    The message description keeps 000's text, whose line breaks are original, where the
    wording of the two agrees (ignoring whitespace and backticks); otherwise 001's.
    `method` is 001's camelCase method name.
    """
    python = parse_python_seed()
    typescript = parse_typescript_seed(python_messages=python)
    missing = sorted(set(python) - set(typescript))
    if missing:
        raise SeedParseError(f"001 seed lacks message types of 000: {missing}")
    merged: dict[str, SeedMessage] = {}
    for kebab in sorted(typescript):
        ts = typescript[kebab]
        py = python.get(kebab)
        description = ts.description
        if py is not None:
            if py.title != ts.title:
                raise SeedParseError(f"{kebab}: payload type {py.title} vs {ts.title}")
            lost = [f.name for f in py.fields if f.name not in {g.name for g in ts.fields}]
            if lost:
                raise SeedParseError(f"{kebab}: 001 lacks 000 fields {lost}")
            if _normalise(py.description) == _normalise(ts.description):
                description = py.description
        merged[kebab] = SeedMessage(
            type=kebab,
            title=ts.title,
            method=ts.method,
            description=description,
            fields=ts.fields,
            source="001",
        )
    return merged


if __name__ == "__main__":  # pragma: no cover - a quick look at what was parsed
    for msg in merged_seed_messages().values():
        print(f"{msg.type} ({msg.title}, {msg.method}): {len(msg.fields)} fields")
        for f in msg.fields:
            print(f"    {f.name} ({f.json_type}) {'required' if f.required else ''}")
