"""What each variant renders: clean files, only its own options, reproducibly."""

from __future__ import annotations

import filecmp
import re
import stat
import subprocess

import pytest
import yaml

from harness.backends import BACKENDS, backend_of
from harness.runner import actionlint, check_schema, output
from harness.variants import DEFAULT

# Files that exist only for some answers: path -> predicate on the answers.
OPTION_FILES = {
    "{slug}/users/admin.py": lambda a: a["user_model"] != "django",
    "{slug}/users/migrations/0001_initial.py": lambda a: a["user_model"] != "django",
    # The sessions that know their user: after the user model's own migrations.
    "{slug}/users/migrations/0001_sessions.py": lambda a: a["user_model"] == "django",
    "{slug}/users/migrations/0003_sessions.py": lambda a: a["user_model"] != "django",
    # Email domains in their IDNA form: the custom user models' own table.
    "{slug}/users/migrations/0004_email_domains.py": lambda a: a["user_model"] != "django",
    "{slug}/users/managers.py": lambda a: a["user_model"] == "email",
    "{slug}/tokens/serializers.py": lambda a: (
        (a["user_model"] == "email" and a["auth_backend"] != "oauth2") or a["auth_backend"] == "jwt"
    ),
    # knox keeps its tokens in its own app; an authorization server has models of
    # its own beside django-oauth-toolkit's (resource servers, exchanged codes).
    "{slug}/tokens/models.py": lambda a: a["auth_backend"] != "knox",
    "{slug}/tokens/migrations/0001_initial.py": lambda a: a["auth_backend"] != "knox",
    # The password login's own tests; an authorization server has a login page.
    "tests/test_login.py": lambda a: a["auth_backend"] != "oauth2",
    "tests/test_email_user.py": lambda a: a["user_model"] == "email",
    # Email change: the custom user models only (their address is unique).
    "tests/test_email_change.py": lambda a: a["user_model"] != "django",
    **{
        f"{{slug}}/users/templates/users/email/{name}": lambda a: a["user_model"] != "django"
        for name in (
            "email_change.txt",
            "email_change.html",
            "email_change_subject.txt",
            "email_change_notice.txt",
            "email_change_notice.html",
            "email_change_notice_subject.txt",
        )
    },
    **{
        path: (lambda a, name=backend.name: a["auth_backend"] == name)
        for backend in BACKENDS.values()
        for path in backend.test_files
    },
    "tests/test_registration.py": lambda a: a["registration"],
    "tests/test_verification.py": lambda a: a["registration"],
    "{slug}/verification/models.py": lambda a: a["registration"],
    "{slug}/verification/backends.py": lambda a: a["registration"],
    "{slug}/verification/migrations/0001_initial.py": lambda a: a["registration"],
    "{slug}/users/templates/users/email/verify_email.txt": lambda a: a["registration"],
    "tests/test_session_auth.py": lambda a: a["session_auth"],
    "tests/test_api_docs.py": lambda a: a["api_docs"],
    "tests/test_oauth2_docs.py": lambda a: a["api_docs"] and a["auth_backend"] == "oauth2",
    "{slug}/api/pagination.py": lambda a: a["api_defaults"],
    "{slug}/api/throttles.py": lambda a: a["api_defaults"],
    "{slug}/api/filters.py": lambda a: a["example_api"],
    **{
        path: lambda a: a["browser_clients"]
        for path in (
            "{slug}/tokens/cookies.py",
            "{slug}/tokens/browser.py",
            "tests/test_browser.py",
        )
    },
    "tests/test_jwt_browser.py": lambda a: a["browser_clients"] and a["auth_backend"] == "jwt",
    **{
        path: lambda a: a["example_api"]
        for path in (
            "{slug}/notes/models.py",
            "{slug}/notes/views.py",
            "{slug}/notes/migrations/0001_initial.py",
            "tests/test_notes.py",
        )
    },
}

ALWAYS = [
    ".copier-answers.yml",
    "tests/factories.py",
    "tests/test_urls.py",
    "tests/platform/__init__.py",
    ".env",
    ".env.example",
    ".gitignore",
    "README.md",
    "SECURITY.md",
    *(
        f"docs/{page}.md"
        for page in (
            "authentication",
            "accounts",
            "settings",
            "development",
            "deployment",
            "operations",
            "updating",
            "security",
        )
    ),
    "manage.py",
    "pyproject.toml",
    "uv.lock",
    "requirements.txt",
    "config/settings/base.py",
    "config/settings/development.py",
    "config/settings/production.py",
    "config/settings/test.py",
    "config/urls.py",
    "config/wsgi.py",
    "config/asgi.py",
    "{slug}/core/apps.py",
    "{slug}/core/errors.py",
    "{slug}/core/middleware.py",
    ".pre-commit-config.yaml",
    ".github/workflows/template-update.yml",
    ".github/workflows/ci.yml",
    ".github/dependabot.yml",
    "{slug}/api/apps.py",
    "{slug}/api/checks.py",
    "{slug}/api/views.py",
    "{slug}/tokens/apps.py",
    "{slug}/users/login_throttles.py",
    "{slug}/users/devices.py",
    "{slug}/core/log_filters.py",
    "config/logs.py",
    "{slug}/core/request_id.py",
    "{slug}/core/sentry.py",
    "{slug}/core/probe.py",
    "{slug}/core/gunicorn_logging.py",
    "config/mail.py",
    "{slug}/users/links.py",
    "{slug}/users/mail.py",
    "{slug}/users/services.py",
    "{slug}/users/tasks.py",
    "{slug}/users/throttles.py",
    "{slug}/users/templates/users/email/password_reset.txt",
    "{slug}/users/templates/users/email/password_reset.html",
    "{slug}/users/templates/users/email/password_reset_subject.txt",
    "tests/test_password_reset.py",
    "tests/test_profile.py",
    "{slug}/api/exceptions.py",
    "gunicorn.conf.py",
    "Dockerfile",
    ".dockerignore",
    "compose.yaml",
    "{slug}/tokens/authentication.py",
    "{slug}/tokens/services.py",
    "{slug}/tokens/urls.py",
    "{slug}/tokens/views.py",
    "{slug}/tokens/queries.py",
    "{slug}/tokens/sql.py",
    "{slug}/tokens/schema.py",
    "{slug}/tokens/admin.py",
    "{slug}/tokens/admin_base.py",
    "{slug}/api/schema.py",
    "{slug}/users/views.py",
    "tests/backend.py",
    "tests/conftest.py",
    "tests/test_auth_contract.py",
]


def rendered_files(project):
    return sorted(
        path.relative_to(project).as_posix()
        for path in project.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(project).parts
    )


def answers_of(project):
    return yaml.safe_load((project / ".copier-answers.yml").read_text())


def answers_without_commit(project):
    lines = (project / ".copier-answers.yml").read_text().splitlines()
    return [line for line in lines if not line.startswith("_commit:")]


def test_answers_file_records_the_answers(project, variant):
    answers = answers_of(project)

    assert answers["_src_path"]
    assert answers["_commit"]
    for question, answer in variant.answers.items():
        assert answers[question] == answer


def test_no_template_syntax_is_left(project):
    leftovers = [
        name
        for name in rendered_files(project)
        if "{{" in name
        or "{%" in name
        or name.endswith(".jinja")
        or (
            # Django's own templates (and startapp's app template): their syntax is meant.
            "/templates/" not in name
            and "/app_template/" not in name
            and any(marker in (project / name).read_text() for marker in ("{{", "{%", "{#"))
        )
    ]

    assert leftovers == []


def test_django_templates_are_copied_as_they_are(project):
    """The email texts are Django templates: copier must not have rendered their tags."""
    answers = answers_of(project)
    text = (
        project / answers["project_slug"] / "users/templates/users/email/password_reset.txt"
    ).read_text()

    assert "{{ link }}" in text
    assert "{% autoescape off %}" in text
    app_template = project / answers["project_slug"] / "api/app_template/apps.py-tpl"
    assert "class {{ camel_case_app_name }}Config(AppConfig):" in app_template.read_text()


def test_no_build_junk_is_rendered(project):
    junk = [
        name
        for name in rendered_files(project)
        if "__pycache__" in name or name.endswith((".pyc", ".pyo")) or ".pytest_cache" in name
    ]

    assert junk == []


def test_only_the_chosen_options_files_are_rendered(project):
    answers = answers_of(project)
    files = set(rendered_files(project))
    slug = answers["project_slug"]

    for pattern in ALWAYS:
        assert pattern.format(slug=slug) in files, pattern
    for pattern, wanted in OPTION_FILES.items():
        assert (pattern.format(slug=slug) in files) == wanted(answers), pattern


def test_only_the_chosen_backends_code_and_dependencies_are_rendered(project):
    answers = answers_of(project)
    pyproject = (project / "pyproject.toml").read_text()
    code = "\n".join(
        (project / name).read_text() for name in rendered_files(project) if name.endswith(".py")
    )

    # What each backend brings: its package in pyproject.toml, and its app in the code
    # (knox projects may reuse DRF's credentials serializer, but never install its app).
    for backend in BACKENDS.values():
        chosen = backend.name == answers["auth_backend"]
        if backend.package:
            assert (backend.package in pyproject) == chosen, backend.package
        assert (f'"{backend.app}"' in code) == chosen, backend.app
    # The schema is declared on the views in every variant; api_docs adds only the
    # schema and docs URLs and Swagger UI's files.
    assert "drf-spectacular>" in pyproject
    assert ("drf-spectacular-sidecar" in pyproject) == answers["api_docs"]


def test_security_md_names_only_tests_that_exist(project):
    guarantees = (project / "docs" / "security.md").read_text()
    references = re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", guarantees)

    assert len(references) >= 30
    missing = [
        f"{path}::{name}"
        for path, name in references
        if not (project / path).is_file()
        or not re.search(rf"^def {name}\(", (project / path).read_text(), re.MULTILINE)
    ]
    assert missing == []


# What the settings and gunicorn.conf.py read from the environment.
SETTING_READ = re.compile(
    r'(?:env\.\w+|url_setting|require_secret|os\.environ\.get)\(\s*"([A-Z]\w+)"'
)


def test_every_setting_the_project_reads_is_documented(project):
    sources = [
        project / "gunicorn.conf.py",
        *project.glob("config/**/*.py"),
    ]
    names = {name for path in sources for name in SETTING_READ.findall(path.read_text())}
    documented = (project / "docs" / "settings.md").read_text()
    example = (project / ".env.example").read_text()

    assert {"DJANGO_SECRET_KEY", "SENTRY_DSN", "GUNICORN_GRACEFUL_TIMEOUT"} <= names
    assert sorted(name for name in names if name not in documented) == []
    assert sorted(name for name in names if name not in example) == []


def test_workflows_match_the_github_workflow_schema(project):
    workflows = sorted((project / ".github" / "workflows").glob("*.yml"))
    assert workflows

    result = check_schema("vendor.github-workflows", *workflows)

    assert result.returncode == 0, output(result)


def test_workflows_pass_actionlint(project):
    workflows = sorted((project / ".github" / "workflows").glob("*.yml"))

    result = actionlint(*workflows)

    assert result.returncode == 0, output(result)


def test_dependabot_config_matches_its_schema(project):
    result = check_schema("vendor.dependabot", project / ".github" / "dependabot.yml")

    assert result.returncode == 0, output(result)


def test_compose_file_matches_the_compose_spec(project):
    # Every variant's file, against the spec; tests/test_containers.py boots three.
    result = check_schema("vendor.compose-spec", project / "compose.yaml")

    assert result.returncode == 0, output(result)
    services = yaml.safe_load((project / "compose.yaml").read_text())["services"]
    answers = answers_of(project)
    assert ("db" in services) == (answers["database"] == "postgresql")
    assert ("redis" in services) == (answers["cache"] == "redis")
    # gunicorn is PID 1 (sh would ignore SIGTERM), published on loopback only.
    assert services["app"]["command"].endswith('&& exec gunicorn"')
    assert all(port.startswith("127.0.0.1:") for port in services["app"]["ports"])
    assert all("ports" not in service for name, service in services.items() if name != "app")


def test_dockerfile_is_multi_stage_slim_and_unprivileged(project):
    instructions = [
        line.split(maxsplit=1)
        for line in (project / "Dockerfile").read_text().splitlines()
        if line and not line.startswith((" ", "#"))
    ]
    stages = [args for keyword, args in instructions if keyword == "FROM"]
    users = [args for keyword, args in instructions if keyword == "USER"]

    assert len(stages) >= 2
    assert all("-slim" in stage for stage in stages)
    assert users
    assert users[-1] not in {"root", "0"}
    assert instructions[-1] == ["CMD", '["gunicorn"]']


def test_pre_commit_refuses_conflict_markers(project):
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}

    assert "--assume-in-merge" in hooks["check-merge-conflict"]["args"]


def test_env_file_holds_fresh_secrets_and_is_git_ignored(project):
    env_file = project / ".env"
    values = dict(line.split("=", 1) for line in env_file.read_text().splitlines() if "=" in line)

    assert len(values["DJANGO_SECRET_KEY"]) >= 50
    chosen = backend_of(answers_of(project))
    for backend in BACKENDS.values():
        for name in backend.secrets:
            if backend == chosen:
                assert len(values[name]) >= 50
                assert values[name] != values["DJANGO_SECRET_KEY"]
            else:
                assert name not in values
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    ignored = subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=project, check=False)
    assert ignored.returncode == 0, ".env is not git-ignored"


@pytest.fixture
def two_renders(copie):
    first = copie.copy(extra_answers=dict(DEFAULT.answers))
    second = copie.copy(extra_answers=dict(DEFAULT.answers))
    assert first.exit_code == second.exit_code == 0
    return first.project_dir, second.project_dir


def test_rendering_is_reproducible(two_renders):
    """Same answers, same bytes in every tracked file: updates must not churn."""
    first, second = two_renders
    tracked = [name for name in rendered_files(first) if name != ".env"]

    assert tracked == [name for name in rendered_files(second) if name != ".env"]
    _, mismatch, errors = filecmp.cmpfiles(first, second, tracked, shallow=False)
    # Copier commits a dirty checkout afresh for each render, so `_commit` can
    # differ while developing; every other byte must match.
    if mismatch == [".copier-answers.yml"]:
        assert answers_without_commit(first) == answers_without_commit(second)
        mismatch = []
    assert mismatch == errors == []


def test_each_render_gets_its_own_secret(two_renders):
    first, second = two_renders

    assert (first / ".env").read_text() != (second / ".env").read_text()


MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")


def github_anchor(heading: str) -> str:
    """The id GitHub gives a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_link_between_the_docs_resolves(project):
    """The README, SECURITY.md and each docs/ page link to pages and sections that the
    render has: a page a link names exists, and so does the heading its anchor names."""
    pages = [project / "README.md", project / "SECURITY.md", *(project / "docs").glob("*.md")]
    broken = []
    for page in pages:
        for target in MARKDOWN_LINK.findall(page.read_text()):
            if re.match(r"[a-z]+:", target):
                continue  # a URL
            path, _, anchor = target.partition("#")
            linked = (page.parent / path).resolve() if path else page
            if not linked.exists():
                broken.append(f"{page.relative_to(project)}: {target}")
            elif anchor and linked.is_file():
                headings = re.findall(r"^#+ (.+)$", linked.read_text(), re.MULTILINE)
                if anchor not in {github_anchor(heading) for heading in headings}:
                    broken.append(f"{page.relative_to(project)}: {target}")
    assert broken == []


def test_the_readme_is_short_and_leads_to_every_page(project):
    readme = (project / "README.md").read_text()
    pages = sorted(path.name for path in (project / "docs").glob("*.md"))

    assert len(readme.encode()) <= 8 * 1024
    assert [page for page in pages if f"(docs/{page})" not in readme] == []
