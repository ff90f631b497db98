"""`worker-client-gen publish`: the pre-flight, then both uploads, then the release lock.

Exit codes: 0 published (or, with --check, the pre-flight passed); 2 the pre-flight found
problems and nothing was uploaded; 1 an upload failed after the pre-flight passed (the
report names what was published, what was not, and the command that finishes the job).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.cli_options import EXIT_INVALID, load_or_exit, schemas_option
from generator.publish import registries
from generator.publish.lock import lock_dir, write_lock
from generator.publish.preflight import Preflight, release_tag, run_preflight
from generator.publish.registries import NPM, PYPI, Registry, RegistryError

EXIT_UPLOAD_FAILED = 1


def _upload(pre: Preflight, registry: Registry, provenance: bool) -> None:
    files = pre.artifacts[registry.key]
    if registry is PYPI:
        registries.twine_upload(files)
    else:
        registries.npm_publish(files[0], provenance)


def _finish_command(pending: list[Registry], tag: str, provenance: bool) -> str:
    parts = ["worker-client-gen", "publish", "--tag", tag]
    if len(pending) == 1:
        parts += ["--only", pending[0].key]
    if provenance and NPM in pending:
        parts.append("--provenance")
    return " ".join(parts)


@click.command("publish")
@schemas_option
@click.option(
    "--generated",
    default="generated",
    show_default=True,
    metavar="DIR",
    help="The generated packages (built into --dist first, unless --no-build).",
)
@click.option("--dist", default="dist", show_default=True, metavar="DIR", help="Artifacts.")
@click.option(
    "--changelog", default="CHANGELOG.md", show_default=True, metavar="FILE", help="Notes."
)
@click.option(
    "--tag",
    metavar="TAG",
    help="The release tag. Default: $GITHUB_REF_NAME on a tag build, else the tag on HEAD.",
)
@click.option(
    "--only",
    type=click.Choice([r.key for r in registries.REGISTRIES]),
    help="Check and publish on one registry only (to finish a release that stopped half-way).",
)
@click.option(
    "--no-build",
    is_flag=True,
    help="Check the artifacts already in --dist instead of building them again.",
)
@click.option("--check", "check_only", is_flag=True, help="Run the pre-flight; upload nothing.")
@click.option(
    "--provenance", is_flag=True, help="npm publish --provenance (in CI with an OIDC token)."
)
@click.option(
    "--record-only",
    is_flag=True,
    help="Write release/ from the latest releases on the registries; check and upload nothing.",
)
def publish_command(
    schemas: str,
    generated: str,
    dist: str,
    changelog: str,
    tag: str | None,
    only: str | None,
    no_build: bool,
    check_only: bool,
    provenance: bool,
    record_only: bool,
) -> None:
    """Publish both generated packages: pre-flight, then PyPI (twine), then npm.

    The pre-flight runs before any upload: the tag is v<VERSION> and CHANGELOG.md has its
    entry; both artifacts build and pass their checks (twine check --strict, the npm tarball's
    contents); the version is greater than every version on each registry; and the API
    surface (message types, fields, methods, exported names) against the latest release on
    each registry needs no bigger version step than this one. Any problem: one line each,
    exit 2, nothing uploaded.

    Registries and credentials come from the tools' own configuration: pip's index
    (PIP_INDEX_URL) for reading, twine's TWINE_* and ~/.pypirc for uploading; npm's .npmrc,
    npm_config_registry and NPM_TOKEN. No URL credential or token is printed.
    """
    catalogue = load_or_exit(schemas, "nothing was uploaded")
    version = catalogue.version
    if record_only:
        _record_from_registries(schemas, version)
        return
    pre = run_preflight(
        version=version,
        tag=tag,
        changelog=Path(changelog),
        generated=Path(generated),
        schemas=Path(schemas),
        dist=Path(dist),
        only=only,
        rebuild=not no_build,
    )
    if not pre.ok:
        for problem in pre.problems:
            click.echo(f"error: {problem}", err=True)
        click.echo(f"pre-flight failed for {version}: nothing was uploaded", err=True)
        sys.exit(EXIT_INVALID)
    checked = ", ".join(f"{r.label} {r.package}" for r in pre.registries)
    click.echo(f"pre-flight passed for {version} ({checked})")
    for registry in pre.registries:
        latest = pre.latest.get(registry.key)
        if latest:
            click.echo(f"  {registry.label}: latest {latest}, API surface needs no bigger step")
        else:
            click.echo(f"  {registry.label}: first release of {registry.package}")
    if check_only:
        click.echo("--check: nothing was uploaded")
        return
    published: list[Registry] = []
    for index, registry in enumerate(pre.registries):
        try:
            _upload(pre, registry, provenance)
        except RegistryError as exc:
            pending = list(pre.registries[index:])
            for done in published:
                click.echo(f"published: {done.package} {version} on {done.label}")
            click.echo(f"error: {registry.label}: {exc}", err=True)
            for missing in pending:
                click.echo(f"NOT published: {missing.package} {version} on {missing.label}")
            command = _finish_command(pending, release_tag(tag) or f"v{version}", provenance)
            click.echo(f"to finish the release, fix the cause and run: {command}")
            sys.exit(EXIT_UPLOAD_FAILED)
        published.append(registry)
        click.echo(f"published: {registry.package} {version} on {registry.label}")
    if only is None:
        lock = write_lock(schemas, pre.surfaces, with_schemas=True)
        click.echo(f"{lock.parent}/ records {version}: commit it with the release")
    else:
        click.echo(
            f"run `worker-client-gen publish --record-only` once both registries have {version}"
        )


def _record_from_registries(schemas: str, version: str) -> None:
    """release/ from the latest release on each registry, downloaded and read."""
    import tempfile

    from generator.publish.artifacts import ArtifactError
    from generator.publish.npm_artifact import npm_surface
    from generator.publish.python_artifact import python_surface

    surfaces = {}
    with tempfile.TemporaryDirectory(prefix="wcg-record-") as tmp:
        try:
            files = registries.pypi_files(registries.pip_index_url())
            latest = registries.latest_final(PYPI, registries.pypi_versions(files))
            if latest:
                surfaces["pypi"] = python_surface(
                    registries.pypi_download(files, latest, Path(tmp))
                )
            npm_latest = registries.npm_latest()
            if npm_latest:
                surfaces["npm"] = npm_surface(registries.npm_download(npm_latest, Path(tmp)))
        except (RegistryError, ArtifactError) as exc:
            click.echo(f"error: {exc}; {lock_dir(schemas)} was not written", err=True)
            sys.exit(EXIT_INVALID)
    if not surfaces:
        click.echo("error: neither registry has a release to record", err=True)
        sys.exit(EXIT_INVALID)
    # The schema folder is the release's only when every registry's latest is this version.
    ours = all(s.version == version for s in surfaces.values()) and len(surfaces) == 2
    path = write_lock(schemas, surfaces, with_schemas=ours)
    found = ", ".join(f"{k} {s.version}" for k, s in sorted(surfaces.items()))
    what = f"their surfaces and {schemas}/" if ours else "their API surfaces"
    click.echo(f"{path}: recorded {found} ({what})")
