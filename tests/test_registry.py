"""The backend registry (harness/backends.py) and the template state the same facts."""

from __future__ import annotations

import ast
import re

import jinja2
import pytest
import yaml

from harness.backends import BACKENDS, DEFAULT_BACKEND, Backend
from harness.runner import REPO_ROOT
from harness.variants import VARIANTS

COPIER = yaml.safe_load((REPO_ROOT / "copier.yml").read_text())
# One rendered variant per backend (the first the variant list has).
FIRST_OF_EACH = {variant.backend.name: variant for variant in reversed(VARIANTS)}


def module_constants(path) -> dict[str, object]:
    """The module's top-level NAME = literal assignments."""
    constants = {}
    for node in ast.parse(path.read_text()).body:
        target = getattr(node, "target", None) or (getattr(node, "targets", None) or [None])[0]
        if isinstance(target, ast.Name) and node.value is not None:
            try:
                constants[target.id] = ast.literal_eval(node.value)
            except ValueError:
                continue
    return constants


def test_copier_offers_exactly_the_registered_backends():
    assert sorted(COPIER["auth_backend"]["choices"].values()) == sorted(BACKENDS)
    assert COPIER["auth_backend"]["default"] in BACKENDS


@pytest.mark.parametrize("backend", BACKENDS.values(), ids=str)
def test_copier_computes_the_registered_facts(backend: Backend):
    def computed(name: str) -> str:
        return jinja2.Template(COPIER[name]["default"]).render(auth_backend=backend.name)

    assert computed("token_scheme") == backend.scheme
    assert computed("token_field") == backend.token_field


def test_every_backend_is_rendered_by_some_variant():
    assert set(FIRST_OF_EACH) == set(BACKENDS)


@pytest.mark.parametrize("backend", BACKENDS.values(), ids=str)
def test_the_rendered_backend_matches_the_registry(render, backend: Backend):
    project = render(FIRST_OF_EACH[backend.name])

    settings = module_constants(project / "config" / "settings" / "base.py")
    assert backend.app in settings["THIRD_PARTY_APPS"]
    production = (project / "config" / "settings" / "production.py").read_text()
    required = tuple(re.findall(r'require_secret\("(\w+)"\)', production))
    assert required == ("DJANGO_SECRET_KEY", *backend.secrets)

    source = (project / "tests" / "backend.py").read_text()
    assert re.search(rf'scheme = "{backend.scheme}"', source), source
    assert re.search(rf'token_field = "{backend.token_field}"', source), source
    for path in backend.test_files:
        assert (project / path).is_file(), path
    if backend.package:
        assert f'"{backend.package}' in (project / "pyproject.toml").read_text()


TEMPLATE = REPO_ROOT / "template"
# Shared files (their path holds no condition) that may still name the backend:
# the docs lines, the dependency, the settings and the deployment check's secrets.
SHARED_FILES_NAMING_THE_BACKEND = {
    ".env.example.jinja",
    ".github/workflows/ci.yml.jinja",
    "Dockerfile.jinja",
    "README.md.jinja",
    "SECURITY.md.jinja",
    "docs/security.md.jinja",
    "docs/authentication.md.jinja",
    "docs/accounts.md.jinja",
    "docs/settings.md.jinja",
    "docs/development.md.jinja",
    "docs/deployment.md.jinja",
    "docs/operations.md.jinja",
    "docs/updating.md.jinja",
    "config/settings/base.py.jinja",
    "config/settings/production.py.jinja",
    "tests/platform/test_production_settings.py.jinja",
    "tests/test_urls.py.jinja",
    "pyproject.toml.jinja",
    "{% if api_docs %}schemathesis.toml{% endif %}.jinja",
    "tests/{% if api_docs %}schemathesis_hooks.py{% endif %}.jinja",
}


@pytest.mark.parametrize("backend", BACKENDS.values(), ids=str)
def test_a_backend_is_two_folders(backend: Backend):
    """Its code under <slug>/tokens/ and its tests under tests/, nothing else by condition."""
    condition = f"{{% if auth_backend == '{backend.name}' %}}"
    folders = [
        TEMPLATE / "{{project_slug}}" / f"{condition}tokens{{% endif %}}",
        TEMPLATE / f"{condition}tests{{% endif %}}",
    ]
    elsewhere = [
        path.relative_to(TEMPLATE)
        for path in TEMPLATE.rglob("*")
        if condition in str(path.relative_to(TEMPLATE))
        and not any(path == folder or folder in path.parents for folder in folders)
    ]

    assert all(folder.is_dir() for folder in folders)
    assert elsewhere == []


# The answer itself, its docs macros, or a value computed from it.
NAMES_THE_BACKEND = re.compile(
    r"\b(auth_backend|backend_docs)\b|\{\{-?\s*(token_scheme|token_field)\b"
)


def test_shared_files_name_the_backend_only_where_allowed():
    naming = {
        str(path.relative_to(TEMPLATE))
        for path in TEMPLATE.rglob("*")
        if path.is_file()
        and "auth_backend ==" not in str(path.relative_to(TEMPLATE))
        and NAMES_THE_BACKEND.search(path.read_text())
    }

    assert naming <= SHARED_FILES_NAMING_THE_BACKEND


def test_every_backend_fills_in_the_same_docs_macros():
    """The shared files that describe the backend (README.md, SECURITY.md...) call these."""
    macros = {
        backend.name: set(
            re.findall(
                r"\{%-?\s*macro (\w+)\(",
                (
                    TEMPLATE
                    / "{{project_slug}}"
                    / f"{{% if auth_backend == '{backend.name}' %}}tokens{{% endif %}}"
                    / "_docs.jinja"
                ).read_text(),
            )
        )
        for backend in BACKENDS.values()
    }

    reference = macros[DEFAULT_BACKEND.name]
    assert reference
    assert all(names == reference for names in macros.values()), macros
