"""Bad answers are refused by the real copier CLI, naming the question; nothing is written."""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest
import yaml

from harness.runner import REPO_ROOT, output


def copier_copy(destination, *answers: str) -> subprocess.CompletedProcess[str]:
    data = [arg for answer in answers for arg in ("--data", answer)]
    command = [sys.executable, "-m", "copier", "copy", "--defaults", "--trust", "--quiet"]
    return subprocess.run(
        [*command, "--vcs-ref", "HEAD", *data, str(REPO_ROOT), str(destination)],
        capture_output=True,
        text=True,
        check=False,
    )


def assert_refused(result, destination, question, message):
    """Copier failed, naming the question and the rule, and wrote nothing."""
    assert result.returncode != 0, output(result)
    assert f"'{question}'" in result.stderr, output(result)
    assert message in result.stderr, output(result)
    assert not destination.exists() or not any(destination.iterdir())


BAD_ANSWERS = [
    ("project_name", "", "must not be empty"),
    ("project_name", "   ", "must not be empty"),
    ("project_name", "x" * 81, "at most 80 characters"),
    ("project_name", "Two\nlines", "single line"),
    ("project_name", "!!!", "at least one letter or digit"),
    ("project_slug", "", "lowercase Python identifier"),
    ("project_slug", "123", "lowercase Python identifier"),
    ("project_slug", "1api", "lowercase Python identifier"),
    ("project_slug", "my-api", "lowercase Python identifier"),
    ("project_slug", "MyApi", "lowercase Python identifier"),
    ("project_slug", "class", "Python keyword"),
    ("project_slug", "import", "Python keyword"),
    ("project_slug", "django", "would shadow"),
    ("project_slug", "rest_framework", "would shadow"),
    ("project_slug", "test", "would shadow"),
    ("project_slug", "config", "would shadow"),
    ("project_slug", "users", "would shadow"),
    ("project_slug", "tokens", "would shadow"),
    ("project_slug", "api", "would shadow"),
    ("project_slug", "email", "would shadow"),
    ("description", "", "must not be empty"),
    ("description", "one\ntwo", "single line"),
    ("description", "x" * 201, "at most 200 characters"),
    ("author_name", "", "must not be empty"),
    ("author_name", "a\nb", "single line"),
    ("author_email", "", "must look like an email"),
    ("author_email", "not-an-email", "must look like an email"),
    ("author_email", "you@localhost", "must look like an email"),
    ("author_email", "two words@example.com", "must look like an email"),
    ("user_model", "nobody", "Invalid choice"),
    ("auth_backend", "basic", "Invalid choice"),
    ("database", "mysql", "Invalid choice"),
    ("django_version", "4.2", "Invalid choice"),
    ("cache", "memcached", "Invalid choice"),
    ("token_ttl_hours", "0", "between 1 and 8760"),
    ("token_ttl_hours", "8761", "between 1 and 8760"),
]


@pytest.mark.parametrize(
    ("question", "answer", "message"),
    BAD_ANSWERS,
    ids=[f"{question}={answer[:12]!r}" for question, answer, _ in BAD_ANSWERS],
)
def test_bad_answer_is_refused_and_nothing_is_written(tmp_path, question, answer, message):
    destination = tmp_path / "project"

    result = copier_copy(destination, f"{question}={answer}")

    assert_refused(result, destination, question, message)


@pytest.mark.parametrize(
    ("answers", "question", "message"),
    [
        (["jwt_access_minutes=0"], "jwt_access_minutes", "between 1 and 1440"),
        (["jwt_access_minutes=1441"], "jwt_access_minutes", "between 1 and 1440"),
        (["jwt_refresh_days=0"], "jwt_refresh_days", "between 1 and 365"),
        (
            ["jwt_access_minutes=1440", "jwt_refresh_days=1"],
            "jwt_refresh_days",
            "must outlast jwt_access_minutes",
        ),
    ],
    ids=["access-zero", "access-too-long", "refresh-zero", "refresh-not-longer"],
)
def test_bad_jwt_lifetimes_are_refused(tmp_path, answers, question, message):
    destination = tmp_path / "project"

    result = copier_copy(destination, "auth_backend=jwt", *answers)

    assert_refused(result, destination, question, message)


def test_django_61_refuses_python_311(tmp_path):
    destination = tmp_path / "project"

    result = copier_copy(destination, "django_version=6.1", "python_version=3.11")

    assert_refused(result, destination, "python_version", "Django 6.1 needs Python 3.12")


def test_the_example_needs_the_api_defaults(tmp_path):
    destination = tmp_path / "project"

    result = copier_copy(destination, "api_defaults=false", "example_api=true")

    assert_refused(result, destination, "example_api", "example_api needs api_defaults")


def test_browser_clients_are_refused_for_an_authorization_server(tmp_path):
    destination = tmp_path / "project"

    result = copier_copy(destination, "auth_backend=oauth2", "browser_clients=true")

    assert_refused(result, destination, "browser_clients", "a public client of the authorization")


def test_a_name_that_yields_a_bad_package_name_is_refused(tmp_path):
    result = copier_copy(tmp_path / "project", "project_name=2048 Games")

    assert result.returncode != 0
    assert "question 'project_slug'" in result.stderr
    assert "not starting with a digit" in result.stderr


@pytest.mark.parametrize(
    ("name", "slug"),
    [("My API", "my_api"), ("Acme Shop API!", "acme_shop_api"), ("  Billing--v2 ", "billing_v2")],
)
def test_package_name_is_derived_from_the_project_name(tmp_path, name, slug):
    destination = tmp_path / "project"

    result = copier_copy(destination, f"project_name={name}")

    assert result.returncode == 0, output(result)
    assert (destination / slug / "__init__.py").is_file()
    answers = yaml.safe_load((destination / ".copier-answers.yml").read_text())
    assert answers["project_slug"] == slug


def test_free_text_is_rendered_safely_into_pyproject(tmp_path):
    destination = tmp_path / "project"

    result = copier_copy(
        destination,
        'project_name=Acme "Quoted" API',
        'description=Says "hello" \\ and more',
        "author_name=O'Brien & Co",
    )

    assert result.returncode == 0, output(result)
    project = tomllib.loads((destination / "pyproject.toml").read_text())["project"]
    assert project["description"] == 'Says "hello" \\ and more'
    assert project["authors"] == [{"name": "O'Brien & Co", "email": "you@example.com"}]
