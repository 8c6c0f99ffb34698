"""Schemathesis over each backend's OpenAPI schema: no 5xx, every response as documented."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.backends import BACKENDS
from harness.runner import output, project_venv, run_suite
from harness.variants import FUZZED

# Stored under a name pytest does not collect here; copied as a test into projects.
FUZZ_TEST = Path(__file__).with_name("fuzz") / "schema_fuzz.py"
COPIED_AS = "test_schema_fuzz.py"
# schemathesis 4.32's pytest plugin breaks on pytest 9.2 ("no attribute '_nodeid'").
FUZZ_TOOLS = ("schemathesis==4.32.5", "pytest<9.2")
# Every request counts against the login and sign-up limits; fuzzing sends many.
RAISED_THROTTLES = {
    f"DJANGO_THROTTLE_{scope}": "1000000/minute"
    for scope in ("LOGIN_CLIENT", "LOGIN_ACCOUNT", "PASSWORD_CHANGE", "REGISTER")
}


def test_every_backend_is_fuzzed():
    backends = {variant.backend.name for variant in FUZZED}

    assert backends == set(BACKENDS)
    assert all(variant.answers.get("api_docs", True) for variant in FUZZED)


@pytest.mark.parametrize("variant", FUZZED, ids=str, indirect=True)
def test_schemathesis_finds_nothing(project, variant, tmp_path):
    fuzzed = tmp_path / "project"
    shutil.copytree(project, fuzzed)
    shutil.copy(FUZZ_TEST, fuzzed / "tests" / COPIED_AS)

    result, report = run_suite(
        fuzzed,
        project_venv(project, extra=FUZZ_TOOLS),
        tmp_path / "junit.xml",
        f"tests/{COPIED_AS}",
        "-p",
        "no:logging",
        **RAISED_THROTTLES,
    )

    assert result.returncode == 0, output(result)
    # One test, with one subtest per operation of the schema.
    assert report is not None
    assert report.failures == report.errors == 0
    assert report.passed >= 6
