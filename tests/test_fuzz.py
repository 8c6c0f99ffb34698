"""Schemathesis with every check on, against each fuzzed variant served by runserver
(guarantee SEC-28).

It runs from the project's folder, as the generated README tells anyone to run it,
so the project's own schemathesis.toml applies: its login hook and the refusals
docs/security.md requires. Nothing is configured here beyond the server's throttles
and the number of examples.
"""

from __future__ import annotations

import re
import shutil

import pytest

from harness.backends import BACKENDS
from harness.devserver import dev_server
from harness.runner import output, run, tool_venv
from harness.variants import FUZZED

SCHEMATHESIS = "schemathesis==4.32.5"
# Every request counts against the login and sign-up limits; fuzzing sends many.
RAISED_THROTTLES = {
    f"DJANGO_THROTTLE_{scope}": "1000000/minute"
    for scope in (
        "LOGIN_CLIENT",
        "LOGIN_ACCOUNT",
        "PASSWORD_CHANGE",
        "REGISTER",
        "MAIL_CLIENT",
        "MAIL_ACCOUNT",
        "LINK_CLIENT",
        "MAIL_INBOX",
        "MFA_CLIENT",
        "MFA_ACCOUNT",
        "USER",
    )
}
# Schemathesis' default per operation; a run takes about a minute per backend.
MAX_EXAMPLES = "100"


def test_every_backend_is_fuzzed_with_every_endpoint_on():
    assert {variant.backend.name for variant in FUZZED} == set(BACKENDS)
    for variant in FUZZED:
        assert variant.answers.get("api_docs", True), variant
        assert variant.answers.get("registration"), variant
        assert variant.answers.get("session_auth"), variant


@pytest.mark.parametrize("variant", FUZZED, ids=str, indirect=True)
def test_schemathesis_with_every_check_finds_nothing(project, venv, tmp_path):
    fuzzer = tool_venv(SCHEMATHESIS)
    # A copy: schemathesis leaves its example database in the folder it runs in.
    fuzzed = tmp_path / "project"
    shutil.copytree(project, fuzzed)
    # The development settings with the test suite's fast password hasher: the
    # fuzzer signs up, logs in and changes passwords hundreds of times, and what
    # it checks is the API's answers, not the hashing (Argon2's ~0.1 s each).
    (fuzzed / "config" / "settings" / "fuzzing.py").write_text(
        "from .development import *  # noqa: F403\n\n"
        'PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]\n'
    )
    fuzzing = {"DJANGO_SETTINGS_MODULE": "config.settings.fuzzing", **RAISED_THROTTLES}
    with dev_server(fuzzed, venv, tmp_path, **fuzzing) as server:
        result = run(
            fuzzed,
            fuzzer,
            "schemathesis",
            "run",
            f"{server.url}/api/schema/",
            "--checks",
            "all",
            "--max-examples",
            MAX_EXAMPLES,
            timeout=900,
            FUZZ_LOGIN=server.login,
            FUZZ_PASSWORD=server.credentials["password"],
            # An authorization server's public client, for the hook's flow.
            **({"FUZZ_CLIENT_ID": server.client_id} if server.client_id else {}),
            NO_COLOR="1",
        )

    report = output(result)
    assert result.returncode == 0, report
    # The project's schemathesis.toml was read, and its hook logged in.
    assert re.search(r"Configuration:\s+\S*/schema\s*thesis\.toml", result.stdout), report
    assert re.search(r"Re-authenticated \d+ time", result.stdout), report
    selected, total = re.search(r"Selected: (\d+)/(\d+)", result.stdout).groups()
    assert selected == total, report
    assert f"Tested: {total}" in result.stdout, report
    assert "rate limit" not in report.lower(), report
