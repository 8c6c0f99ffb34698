from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from plumbum import local

from harness.runner import (
    REPO_ROOT,
    create_postgres_database,
    drop_postgres_database,
    postgres_url,
    project_venv,
    redis_database,
    uv_environment,
)
from harness.variants import VARIANTS, Variant

# An empty copier settings file: a developer's own defaults or trusted
# repositories must not change what the tests render.
os.environ["COPIER_SETTINGS_PATH"] = str(Path(__file__).with_name("copier-settings.yml"))
# uv locks each rendered project (its copy task) and builds the virtualenvs. Copier
# runs tasks with plumbum's copy of the environment, taken when pytest-copie imported
# copier, before this file: it gets the same variables.
os.environ.update(uv_environment())
local.env.update(**uv_environment())


def pytest_configure(config: pytest.Config) -> None:
    # pytest-copie resolves --template against the directory pytest starts in.
    config.option.template = str(REPO_ROOT)


@pytest.fixture(params=VARIANTS, ids=str)
def variant(request: pytest.FixtureRequest) -> Variant:
    return request.param


@pytest.fixture(scope="session")
def render(copie_session):
    """Render a variant once per test session (per xdist worker) and return its directory."""
    rendered: dict[str, Path] = {}

    def render_variant(variant: Variant) -> Path:
        if variant.name not in rendered:
            result = copie_session.copy(extra_answers=dict(variant.answers))
            assert result.exit_code == 0, f"{variant} failed to render: {result.exception!r}"
            rendered[variant.name] = result.project_dir
        return rendered[variant.name]

    return render_variant


@pytest.fixture
def project(render, variant: Variant) -> Path:
    return render(variant)


@pytest.fixture
def venv(project: Path) -> Path:
    return project_venv(project)


@pytest.fixture
def services(variant: Variant):
    """Environment that points a variant's project at the tests' real servers.

    Each test gets its own PostgreSQL database (created and dropped here;
    pytest-django derives its test database from the name) and its own Redis
    database number, so parallel workers never share state.
    """
    env: dict[str, str] = {}
    database_url = None
    if variant.answers.get("database") == "postgresql":
        database_url = postgres_url(f"tpl_{uuid.uuid4().hex[:12]}")
        create_postgres_database(database_url)
        env["DATABASE_URL"] = database_url
    try:
        if variant.answers.get("cache") == "redis":
            with redis_database() as redis_url:
                yield env | {"DJANGO_CACHE_URL": redis_url, "REDIS_URL": redis_url}
        else:
            yield env
    finally:
        if database_url:
            drop_postgres_database(database_url)
