"""The generated package under the type checker and linters a user would run.

One `mypy --strict` run checks the package itself and sample programs: a correct one must
pass, and a missing required field, an unknown key and a wrong value type must each be
reported where they are.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from py_support import PACKAGE_DIR, run
from support.typecheck import mypy_strict

from generator.examples import example_payload
from generator.ir import Catalogue
from generator.targets.python_examples import py_literal
from generator.targets.python_naming import method as python_method

MESSAGE = "backend-logging-event"  # required fields, an integer field, an enum-free example


def _program(body: str) -> str:
    return (
        "from worker_client import AsyncWorkerClient, JobResponse, MessageTypes, WorkerClient\n"
        "from worker_client import BackendLoggingEventMessage, JobStatus\n\n"
        "client = WorkerClient('http://localhost:3000')\n\n" + body
    )


@pytest.fixture(scope="session")
def samples(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> Path:
    message = catalogue.message(MESSAGE)
    payload = example_payload(catalogue, message)
    assert message.payload.field("eventType").required
    assert message.payload.field("httpStatusCode").type.kind == "integer"
    method = python_method(message.type)

    def call(data: dict[str, object]) -> str:
        return f"job = client.{method}({py_literal(data)})\n"

    folder = tmp_path_factory.mktemp("mypy-samples")
    good = (
        call(payload)
        + "checked: JobResponse = job\n"
        + f"again = client.send_to_queue(MessageTypes.{message.names.constant}, "
        + f"{py_literal(payload)}, {{'priority': 1, 'jobId': 'j-1'}}, max_retries=0)\n"
        + "status: JobStatus = client.get_job_status(job.job_id)\n"
        + "state: str = status.state\n"
        + "typed: BackendLoggingEventMessage = "
        + py_literal(payload)
        + "\n\n\n"
        + "async def main() -> None:\n"
        + "    async with AsyncWorkerClient('http://localhost:3000') as aclient:\n"
        + f"        result: JobResponse = await aclient.{method}(typed, timeout=2.5)\n"
        + "        print(result.job_id)\n"
    )
    missing = {k: v for k, v in payload.items() if k != "eventType"}
    cases = {
        "good.py": good,
        "missing_field.py": call(missing),
        "unknown_key.py": call({**payload, "notAField": 1}),
        "wrong_type.py": call({**payload, "httpStatusCode": "500"}),
        "wrong_overload.py": f"client.send_to_queue(MessageTypes.{message.names.constant}, "
        + "{'eventType': 1})\n",
    }
    for name, body in cases.items():
        (folder / name).write_text(_program(body))
    return folder


@pytest.fixture(scope="session")
def mypy_output(
    samples: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, list[str]]]:
    """mypy --strict over the generated package and every sample: its errors, per file."""
    files = sorted(p.name for p in samples.glob("*.py"))
    result = mypy_strict(tmp_path_factory, files, cwd=samples, env={"MYPYPATH": str(PACKAGE_DIR)})
    errors: dict[str, list[str]] = {}
    for line in result.stdout.splitlines():
        match = re.match(r"^(?P<file>[^:]+\.py):\d+: error: (?P<message>.*)$", line)
        if match:
            errors.setdefault(Path(match["file"]).name, []).append(match["message"])
    assert "error:" in result.stdout or result.returncode == 0, result.stdout + result.stderr
    yield errors


def test_the_package_and_a_correct_program_pass_mypy_strict(
    mypy_output: dict[str, list[str]],
) -> None:
    # Errors anywhere else, the package's own files included, are failures.
    allowed = {"missing_field.py", "unknown_key.py", "wrong_type.py", "wrong_overload.py"}
    unexpected = {f: e for f, e in mypy_output.items() if f not in allowed}
    assert unexpected == {}


def test_a_missing_required_field_is_reported(mypy_output: dict[str, list[str]]) -> None:
    assert mypy_output["missing_field.py"] == [
        'Missing key "eventType" for TypedDict "BackendLoggingEventMessage"  [typeddict-item]'
    ]


def test_an_unknown_key_is_reported(mypy_output: dict[str, list[str]]) -> None:
    assert mypy_output["unknown_key.py"] == [
        'Extra key "notAField" for TypedDict "BackendLoggingEventMessage"  '
        "[typeddict-unknown-key]"
    ]


def test_a_wrong_value_type_is_reported(mypy_output: dict[str, list[str]]) -> None:
    [message] = mypy_output["wrong_type.py"]
    assert message.startswith("Incompatible types (expression has type")
    assert '"str"' in message and 'TypedDict item "httpStatusCode" has type "int"' in message


def test_send_to_queue_is_typed_per_message_type(mypy_output: dict[str, list[str]]) -> None:
    [message] = mypy_output["wrong_overload.py"]
    assert "No overload variant" in message and "[call-overload]" in message


def test_the_package_is_black_and_ruff_clean() -> None:
    black = run([sys.executable, "-m", "black", "--check", "--quiet", "."], cwd=PACKAGE_DIR)
    assert black.returncode == 0, black.stderr
    ruff = run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=PACKAGE_DIR)
    assert ruff.returncode == 0, ruff.stdout
