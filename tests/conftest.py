from __future__ import annotations

import os
from pathlib import Path

import pytest

from .harness import REPO_ROOT, project_venv
from .variants import VARIANTS, Variant

# An empty copier settings file: a developer's own defaults or trusted
# repositories must not change what the tests render.
os.environ["COPIER_SETTINGS_PATH"] = str(Path(__file__).with_name("copier-settings.yml"))


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
