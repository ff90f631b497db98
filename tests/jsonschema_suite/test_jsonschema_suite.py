"""The official test suite through the loader, `generate` and all three validators.

For every group the loader accepts, the Python client, the TypeScript client and `serve`
must each give the suite's verdict on every test; a group the loader refuses must be
refused in one line that names the file, the JSON pointer and the keyword.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import suite

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def outcome(
    tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config
) -> tuple[list[suite.Group], suite.Outcome]:
    work = tmp_path_factory.mktemp("jsonschema-suite")
    all_groups, result = suite.run(Path(work))
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line("")
        for line in suite.report(all_groups, result).splitlines():
            reporter.write_line(line)
    return all_groups, result


def test_every_accepted_group_gets_the_suite_verdict_from_every_validator(
    outcome: tuple[list[suite.Group], suite.Outcome],
) -> None:
    all_groups, result = outcome
    wrong = list(suite.disagreements(all_groups, result))
    assert not wrong, "\n".join(wrong)
    # The suite is really run: most groups are accepted, and every validator judged them.
    accepted = [g for g in all_groups if g.message not in result.refused and not g.skip]
    assert len(accepted) > 0.8 * len(all_groups)
    assert len(result.verdicts) == sum(len(g.tests) for g in accepted)


def test_a_refused_group_is_one_line_naming_its_keyword(
    outcome: tuple[list[suite.Group], suite.Outcome],
) -> None:
    _, result = outcome
    keywords = ("$dynamicRef", "$dynamicAnchor", "$anchor", "$id", "$ref", "pattern")
    for message, reason in result.refused.items():
        assert "\n" not in reason and "Traceback" not in reason, (message, reason)
        pointer = reason.split(": ", 1)[0]
        assert pointer.startswith("/") and pointer.rsplit("/", 1)[1] in keywords, reason


def test_only_what_schemas_readme_lists_as_unsupported_is_refused(
    outcome: tuple[list[suite.Group], suite.Outcome],
) -> None:
    readme = (suite.ROOT / "schemas" / "README.md").read_text(encoding="utf-8")
    _, result = outcome
    for reason in result.refused.values():
        keyword = reason.split(": ", 1)[0].rsplit("/", 1)[1]
        assert f"`{keyword}`" in readme, f"schemas/README.md does not list {keyword}"
