"""Day two, as the generated README tells a team to do it: `startapp` an app of
their own, written by copying the example resource (notes), wired in where the
README says; then every check the project has, on the result. Whatever fails
here fails every user who follows the README."""

from __future__ import annotations

import re
import shutil

import pytest
import yaml
from filelock import FileLock

from harness.runner import CACHE, output, production_env, project_venv, run, run_suite
from harness.variants import VARIANTS

# The new user: SimpleJWT, users who log in by email, sign-ups.
VARIANT = next(variant for variant in VARIANTS if variant.name == "email-jwt-registration")


def renamed(text: str) -> str:
    """The example's code, for orders instead of notes."""
    return re.sub("note", "order", re.sub("Note", "Order", text))


@pytest.fixture
def team_project(render, tmp_path):
    """A copy of a render with an `orders` app made as the README says."""
    project = tmp_path / "project"
    shutil.copytree(render(VARIANT), project, symlinks=True)
    slug = yaml.safe_load((project / ".copier-answers.yml").read_text())["project_slug"]
    return project, slug


def test_an_app_copied_from_the_example_passes_every_check(team_project, tmp_path):
    project, slug = team_project
    venv = project_venv(project)
    manage = ("python", "manage.py")

    created = run(project, venv, *manage, "startapp", "orders")
    assert created.returncode == 0, output(created)
    app, notes = project / slug / "orders", project / slug / "notes"
    for name in ("models.py", "serializers.py", "filters.py", "views.py", "urls.py", "admin.py"):
        (app / name).write_text(renamed((notes / name).read_text()))
    settings = project / "config" / "settings" / "base.py"
    settings.write_text(
        settings.read_text().replace(
            "    # Your apps go here.", f'    "{slug}.orders",\n    # Your apps go here.'
        )
    )
    urls = project / slug / "api" / "urls.py"
    marker = "    # Your apps' URLs go here"
    assert marker in urls.read_text()
    urls.write_text(
        urls.read_text().replace(
            marker, f'    path("orders/", include("{slug}.orders.urls")),\n{marker}'
        )
    )
    tests = project / "tests"
    (tests / "test_orders.py").write_text(renamed((tests / "test_notes.py").read_text()))
    factories = (tests / "factories.py").read_text()
    note_factory = factories[factories.index("class NoteFactory") :]
    (tests / "factories.py").write_text(
        factories.replace(
            f"from {slug}.notes.models import Note\n",
            f"from {slug}.notes.models import Note\nfrom {slug}.orders.models import Order\n",
        )
        + "\n\n"
        + renamed(note_factory)
    )
    migrated = run(project, venv, *manage, "makemigrations", "orders")
    assert migrated.returncode == 0, output(migrated)
    formatted = run(project, venv, "ruff", "format", "--no-cache", str(app / "migrations"))
    assert formatted.returncode == 0, output(formatted)

    failures = {}
    suite, report = run_suite(project, venv, tmp_path / "junit.xml", "--cov")
    if suite.returncode != 0 or "Required test coverage of 95.0% reached" not in suite.stdout:
        failures["pytest --cov"] = output(suite)
    assert report is not None
    assert report.failures == report.errors == 0
    cache = CACHE / "mypy" / venv.name
    cache.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(f"{cache}.lock"):
        checks = {"mypy": run(project, venv, "mypy", "--cache-dir", cache, ".")}
    checks.update(
        {
            "ruff check": run(project, venv, "ruff", "check", "--no-cache", "."),
            "ruff format": run(project, venv, "ruff", "format", "--no-cache", "--check", "."),
            "makemigrations --check": run(
                project, venv, *manage, "makemigrations", "--check", "--dry-run"
            ),
            "check --deploy": run(
                project,
                venv,
                *manage,
                "check",
                "--deploy",
                "--fail-level",
                "WARNING",
                **production_env(),
            ),
        }
    )
    failures.update({name: output(result) for name, result in checks.items() if result.returncode})
    assert failures == {}, "\n\n".join(f"== {name}\n{text}" for name, text in failures.items())

    # The new resource's schema: no DELETE body, a 404 for each id and for a page
    # past the last, a 400 for a bad filter.
    schema_file = tmp_path / "schema.yaml"
    written = run(project, venv, *manage, "spectacular", "--file", str(schema_file))
    assert written.returncode == 0, output(written)
    paths = yaml.safe_load(schema_file.read_text())["paths"]
    detail, listing = paths["/api/orders/{id}/"], paths["/api/orders/"]
    assert "requestBody" not in detail["delete"]
    assert all("404" in operation["responses"] for operation in detail.values())
    assert {"400", "401", "404", "429"} <= set(listing["get"]["responses"])
