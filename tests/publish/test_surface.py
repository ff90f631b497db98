"""The API surface read from release artifacts, and the version step a change of it needs."""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from pathlib import Path

import pytest

from generator.publish.artifacts import messages_from_readme
from generator.publish.npm_artifact import npm_surface
from generator.publish.preflight import Preflight, check_tag_and_changelog, release_tag
from generator.publish.python_artifact import python_surface
from generator.publish.registries import NPM, PYPI, latest_final, pypi_versions, redact
from generator.publish.surface import FieldSurface, Surface, compare_surfaces, step_problems

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
README = """# client

## Available Message Types

### file-download-request

**Method:** `client.file_download_request(data)`

**Fields:**

- `modelId` (string) [✓]: The model.

- `size` (integer) [✗]: Bytes.

- `storageItem` () [✗]: Untyped in this README.

## Configuration
"""


def _tar(path: Path, files: dict[str, str]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def test_the_latest_published_readmes_parse_to_68_messages() -> None:
    for seed in ("002_python_4.1.0_README.md", "003_typescript_4.0.24_README.md"):
        messages = messages_from_readme((SEEDS / seed).read_text(encoding="utf-8"))
        assert len(messages) == 68
        assert sum(len(fields) for fields in messages.values()) == 641
        assert messages["marketplace-intelligence-request"]["modelId"] == FieldSurface(
            "string", True
        )


def test_python_sdist_of_the_older_generator(tmp_path: Path) -> None:
    sdist = _tar(
        tmp_path / "pkg-1.0.0.tar.gz",
        {
            "pkg-1.0.0/PKG-INFO": "Metadata-Version: 2.1\nName: pkg\nVersion: 1.0.0\n\n" + README,
            "pkg-1.0.0/worker_client/__init__.py": (
                "from .client import WorkerClient, JobStatus\nfrom .types import *\n"
                "import logging\n__version__ = '1.0.0'\n__all__ = ['WorkerClient', 'Extra']\n"
            ),
            "pkg-1.0.0/worker_client/types.py": (
                "from typing import TypedDict\nclass MessageTypes: pass\n"
                "class FileDownloadRequestMessage(TypedDict): pass\n_private = 1\n"
            ),
            "pkg-1.0.0/worker_client/client.py": (
                "from typing import Generic, TypeVar\nR = TypeVar('R')\n"
                "class Methods(Generic[R]):\n    def file_download_request(self): ...\n"
                "    def _enqueue(self): ...\n"
                "class WorkerClient(Methods[int]):\n    def close(self): ...\n"
                "    def __enter__(self): ...\nclass JobStatus: pass\n"
            ),
        },
    )
    surface = python_surface(sdist)
    assert (surface.name, surface.version) == ("pkg", "1.0.0")
    assert surface.methods == {"file_download_request", "close", "__enter__"}
    # Names from outside the package (TypedDict, logging) and private ones are not exports.
    assert surface.exports == {
        "WorkerClient",
        "JobStatus",
        "MessageTypes",
        "FileDownloadRequestMessage",
        "Extra",
    }
    assert surface.messages == {
        "file-download-request": {
            "modelId": FieldSurface("string", True),
            "size": FieldSurface("integer", False),
            "storageItem": FieldSurface("", False),
        }
    }


def test_python_wheel_with_bundled_schemas(tmp_path: Path) -> None:
    wheel = tmp_path / "pkg-2.0.0-py3-none-any.whl"
    schemas = {
        "messages": {"file-download-request": "FileDownloadRequestMessage"},
        "$defs": {
            "FileDownloadRequestMessage": {
                "required": ["modelId"],
                "properties": {
                    "modelId": {"type": "string"},
                    "location": {"$ref": "#/$defs/Location"},
                    "either": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                },
            },
            "Location": {"type": "object", "properties": {"path": {"type": "string"}}},
        },
    }
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("pkg-2.0.0.dist-info/METADATA", "Name: pkg\nVersion: 2.0.0\n\n")
        archive.writestr("worker_client/__init__.py", "from .client import WorkerClient\n")
        archive.writestr("worker_client/client.py", "class WorkerClient:\n    def go(self): ...\n")
        archive.writestr("worker_client/schemas.json", json.dumps(schemas))
    surface = python_surface(wheel)
    assert surface.messages["file-download-request"] == {
        "modelId": FieldSurface("string", True, open=False),
        "location": FieldSurface("object", False, open=True),  # no additionalProperties: open
        "location.path": FieldSurface("string", False, open=False),
        "either": FieldSurface("integer|string", False, open=False),
    }
    assert surface.methods == {"go"} and surface.exports == {"WorkerClient"}


def test_npm_tarball_declarations(tmp_path: Path) -> None:
    tarball = _tar(
        tmp_path / "pkg-1.0.0.tgz",
        {
            "package/package.json": json.dumps(
                {"name": "@x/pkg", "version": "1.0.0", "types": "./dist/index.d.ts"}
            ),
            "package/README.md": README.replace("file_download_request", "fileDownloadRequest"),
            "package/dist/index.d.ts": (
                "export * from './types.js';\nexport { WorkerClient, Config as ClientConfig }"
                " from './client.js';\nexport type { JobStatus } from './client.js';\n"
            ),
            "package/dist/types.d.ts": (
                "export declare const MessageTypes: {};\nexport type MessageType = string;\n"
                "export interface FileDownloadRequestMessage { modelId: string; }\n"
            ),
            "package/dist/client.d.ts": (
                "export interface Config { baseUrl: string; }\n"
                "export declare class WorkerClient {\n    private apiKey;\n"
                "    constructor(config: Config);\n"
                "    /**\n     * Looks like a call: notAMethod(x)\n     */\n"
                "    sendToQueue<T>(type: string, payload: T): Promise<unknown>;\n"
                "    fileDownloadRequest(data: {\n        modelId: string;\n"
                "    }): Promise<void>;\n"
                "}\n"
            ),
        },
    )
    surface = npm_surface(tarball)
    assert (surface.name, surface.version) == ("@x/pkg", "1.0.0")
    assert surface.methods == {"sendToQueue", "fileDownloadRequest"}
    assert surface.exports == {
        "MessageTypes",
        "MessageType",
        "FileDownloadRequestMessage",
        "WorkerClient",
        "ClientConfig",
        "JobStatus",
    }
    assert set(surface.messages) == {"file-download-request"}


def _s(version: str, fields: dict[str, FieldSurface], methods: set[str]) -> Surface:
    return Surface("pkg", version, {"m": fields}, frozenset(methods), frozenset({"WorkerClient"}))


@pytest.mark.parametrize(
    ("old", "new", "code", "severity"),
    [
        ({"a": FieldSurface("string", False)}, {}, "field-removed", "breaking"),
        ({}, {"a": FieldSurface("string", True)}, "required-field-added", "breaking"),
        ({}, {"a": FieldSurface("string", False)}, "field-added", "additive"),
        (
            {"a": FieldSurface("integer", False)},
            {"a": FieldSurface("number", False)},
            "type-widened",
            "additive",
        ),
        (
            {"a": FieldSurface("number", False)},
            {"a": FieldSurface("integer", False)},
            "type-changed",
            "breaking",
        ),
        (
            {"a": FieldSurface("string", False)},
            {"a": FieldSurface("string", True)},
            "field-required",
            "breaking",
        ),
        ({"a": FieldSurface("", False)}, {"a": FieldSurface("object", False)}, None, None),
    ],
)
def test_field_changes(
    old: dict[str, FieldSurface], new: dict[str, FieldSurface], code: str | None, severity: str
) -> None:
    report = compare_surfaces(_s("1.0.0", old, set()), _s("1.1.0", new, set()), "a", "b")
    assert [(c.code, c.severity) for c in report.changes] == ([(code, severity)] if code else [])


def test_a_removed_method_needs_a_major() -> None:
    old = _s("4.1.0", {}, {"send", "file_download_request"})
    new = _s("4.2.0", {}, {"send"})
    assert step_problems("PyPI", old, new) == [
        "PyPI: pkg 4.1.0 -> 4.2.0 is a minor step, but pkg: method file_download_request "
        "removed (since 4.1.0) needs a major one"
    ]
    assert step_problems("PyPI", old, _s("5.0.0", {}, {"send"})) == []
    # Additions fit a minor step, not a patch.
    grown = _s("4.1.1", {}, {"send", "file_download_request", "new_method"})
    assert step_problems("npm", old, grown) == [
        "npm: pkg 4.1.0 -> 4.1.1 is a patch step, but pkg: method new_method added "
        "(since 4.1.0) needs a minor one"
    ]


def test_registry_versions_order() -> None:
    files = {
        "pkg-4.1.0.tar.gz": "",
        "pkg-4.0.24-py3-none-any.whl": "",
        "pkg-4.2.0.dev5-py3-none-any.whl": "",
        "pkg-4.0.9.tar.gz": "",
    }
    versions = pypi_versions(files)
    assert versions == {"4.1.0", "4.0.24", "4.2.0.dev5", "4.0.9"}
    assert latest_final(PYPI, versions) == "4.1.0"
    assert latest_final(NPM, {"4.0.24", "4.0.9", "5.0.0-rc.1"}) == "4.0.24"


def test_redact_masks_secrets_and_url_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TWINE_PASSWORD", "pypi-example-secret")
    monkeypatch.setenv("NPM_TOKEN", "npm_exampletoken")
    text = "401 for https://bot:pypi-example-secret@index.example.com/ with npm_exampletoken"
    assert redact(text) == "401 for https://[REDACTED]@index.example.com/ with [REDACTED]"
    npmrc = "//registry.example.com/:_authToken=abc123def and Authorization: Bearer xyz789"
    assert (
        redact(npmrc)
        == "//registry.example.com/:_authToken=[REDACTED] and Authorization: Bearer [REDACTED]"
    )


def test_the_release_tag_comes_from_the_option_then_a_tag_build(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GITHUB_REF_TYPE", "tag")
    monkeypatch.setenv("GITHUB_REF_NAME", "v9.9.9")
    assert release_tag("v1.2.3") == "v1.2.3"
    assert release_tag(None) == "v9.9.9"
    monkeypatch.setenv("GITHUB_REF_TYPE", "branch")  # a branch build names no release
    assert release_tag(None) != "v9.9.9"


def test_tag_and_changelog_problems(tmp_path: Path) -> None:
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text("# Changelog\n\n## Unreleased\n\n## 4.1.0\n")
    pre = Preflight("4.2.0", (PYPI, NPM))
    check_tag_and_changelog(pre, "v4.1.0", changelog)
    assert pre.problems == [
        "tag v4.1.0 does not match schemas/VERSION 4.2.0 (v4.2.0)",
        f"{changelog} has no `## 4.2.0` entry",
    ]
    changelog.write_text("# Changelog\n\n## 4.2.0 - 2026-12-01\n")
    ok = Preflight("4.2.0", (PYPI, NPM))
    check_tag_and_changelog(ok, "v4.2.0", changelog)
    assert ok.problems == []


def test_nested_fields_of_the_declarations_join_the_readme_list(tmp_path: Path) -> None:
    readme = README.replace(
        "**Fields:**", "**Payload Type:** `FileDownloadRequestMessage`\n\n**Fields:**"
    )
    tarball = _tar(
        tmp_path / "pkg-1.0.0.tgz",
        {
            "package/package.json": json.dumps({"name": "p", "version": "1.0.0"}),
            "package/README.md": readme,
            "package/index.d.ts": (
                "export interface FileDownloadRequestMessage {\n    modelId: string;\n"
                "    size?: number;\n    storageItem?: {\n        path: string;\n"
                "        tags?: string[];\n        views?: Array<{\n            url?: string;\n"
                "        }>;\n        extra?: Record<string, unknown>;\n"
                "        kind?: 'a' | 'b';\n    };\n}\n"
            ),
        },
    )
    fields = npm_surface(tarball).messages["file-download-request"]
    assert fields["size"] == FieldSurface("integer", False, open=False)  # README type wins
    assert fields["storageItem"] == FieldSurface("", False, open=False)
    assert fields["storageItem.path"] == FieldSurface("string", True, open=False)
    assert fields["storageItem.tags"] == FieldSurface("array", False)
    assert fields["storageItem.tags[]"] == FieldSurface("string", False, open=False)
    assert fields["storageItem.views[].url"] == FieldSurface("string", False, open=False)
    assert fields["storageItem.extra"] == FieldSurface("object", False, open=True)
    assert fields["storageItem.kind"] == FieldSurface("string", False, open=False)


def test_nested_changes_count_only_below_closed_objects() -> None:
    closed = FieldSurface("object", False, open=False)
    opened = FieldSurface("object", False, open=True)
    leaf = FieldSurface("string", False, open=False)
    old = _s("1.0.0", {"a": closed, "a.b": leaf, "o": opened}, set())
    # a.b gone below a closed object: removed. o.x new below an open one: not an addition.
    new = _s("1.1.0", {"a": closed, "o": opened, "o.x": leaf}, set())
    assert [(c.path, c.code) for c in compare_surfaces(old, new, "a", "b").changes] == [
        ("a.b", "field-removed")
    ]
    # a.b still accepted because a is open now: nothing removed (opening is not listed).
    reopened = _s("1.1.0", {"a": opened, "o": opened}, set())
    assert compare_surfaces(old, reopened, "a", "b").changes == ()
