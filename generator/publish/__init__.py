"""Releasing the generated packages: build and check, pre-flight, upload, record.

- `build`: build and check both artifacts (also `tools/build_release.py`, `nox -s build`);
- `artifacts`: read the API surface out of a wheel, sdist or npm tarball;
- `surface`: the surface model, and the version step a change of it needs;
- `registries`: PyPI and npm through pip's index, twine and npm;
- `preflight`: every check that runs before an upload;
- `lock`: `release/`, the record of the last release that `diff` and `bump` compare against;
- `cli`: `worker-client-gen publish`.
"""
