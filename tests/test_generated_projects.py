"""Every variant's rendered project passes its own suite, linters and Django's checks."""

from __future__ import annotations

from filelock import FileLock

from harness.runner import CACHE, output, production_env, run, run_suite, uv


def test_generated_suite_passes(project, venv, variant, services, tmp_path):
    result, report = run_suite(project, venv, tmp_path / "junit.xml", "--cov", **services)

    assert result.returncode == 0, output(result)
    assert report is not None, output(result)
    assert report.failures == report.errors == 0
    assert report.passed >= variant.min_tests, (
        f"{variant}: {report.passed} tests passed, expected at least {variant.min_tests}"
    )
    # Line and branch coverage, measured by the README's command for the whole suite.
    assert "Required test coverage of 95.0% reached" in result.stdout, output(result)


def test_ruff_check_passes(project, venv):
    result = run(project, venv, "ruff", "check", "--no-cache", ".")

    assert result.returncode == 0, output(result)


def test_ruff_format_is_clean(project, venv):
    result = run(project, venv, "ruff", "format", "--no-cache", "--check", ".")

    assert result.returncode == 0, output(result)


def test_mypy_passes(project, venv):
    # One incremental cache per virtualenv, kept between runs: most of mypy's work is
    # Django's and DRF's stubs, the same for every variant on that virtualenv.
    cache = CACHE / "mypy" / venv.name
    cache.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(f"{cache}.lock"):
        result = run(project, venv, "mypy", "--cache-dir", cache, ".")

    assert result.returncode == 0, output(result)
    assert "Success: no issues found" in result.stdout


def test_migrations_match_the_models(project, venv, services):
    command = ["python", "manage.py", "makemigrations", "--check", "--dry-run"]
    result = run(project, venv, *command, **services)

    assert result.returncode == 0, output(result)
    assert "No changes detected" in result.stdout


def test_production_settings_pass_the_deploy_check(project, venv):
    result = run(
        project,
        venv,
        "python",
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **production_env(),
    )

    assert result.returncode == 0, output(result)
    assert "no issues" in result.stdout


def test_requirements_txt_pins_what_uv_lock_pins(project, venv):
    """pip's path installs requirements.txt; the suite's environment came from `uv sync
    --locked`: syncing the one to the other would change nothing, not even a hash."""
    header = (project / "requirements.txt").read_text().splitlines()[:2]
    assert header[1].strip() == (
        "#    uv export --frozen --no-emit-project --output-file requirements.txt"
    ), "requirements.txt no longer says how to re-export it"
    dry_run = [uv(), "pip", "sync", "--dry-run", "--python", venv / "bin" / "python"]
    result = run(project, None, *dry_run, "--require-hashes", "requirements.txt")

    assert result.returncode == 0, output(result)
    assert "Would make no changes" in result.stderr, output(result)
