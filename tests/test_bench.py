"""The bench's own logic, without timing anything: its wrk parser, its copier floor,
and the in-process probe run inside a rendered project."""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import asdict, replace
from pathlib import Path

import pytest
from copier import run_copy

from bench import browser, firsthour, load, operations, render, targets
from bench.project import render_project
from harness.backends import BACKENDS
from harness.runner import PRODUCTION_MAIL, output, project_venv, run

WRK_REPORT = """\
Running 5s test @ http://127.0.0.1:8765/api/hello/
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.21ms  512.00us  12.40ms   91.00%
    Req/Sec     2.49k   101.00     2.61k    80.00%
  Latency Distribution
     50%  850.00us
     75%    3.40ms
     90%    3.80ms
     99%    1.02s
  12405 requests in 5.00s, 3.10MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 7
Requests/sec:   2480.95
Transfer/sec:    634.01KB
"""


def test_wrk_reports_are_read_in_milliseconds():
    assert load.parse_wrk(WRK_REPORT) == load.Load(
        requests_per_second=2480.95, p50_ms=0.85, p99_ms=1020.0, failed=10
    )


def test_the_copier_floor_renders_its_files(tmp_path):
    template = render.floor_template(tmp_path)

    run_copy(str(template), tmp_path / "out", defaults=True, quiet=True, vcs_ref="HEAD")

    modules = sorted((tmp_path / "out" / "my_api").rglob("module*.py"))
    assert len(modules) == render.FLOOR_FILES
    assert modules[0].read_text().startswith('"""My API: A minimal template"""')


# The default backend, and the one whose lookup column holds a hash of the key and
# whose token names two rows (its user and its client).
@pytest.mark.parametrize("backend", ["authtoken", "oauth2"])
def test_the_in_process_probe_measures_one_query(tmp_path, backend):
    project = render_project(tmp_path / "project", {"auth_backend": backend})
    venv = project_venv(project)
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DJANGO_ENV_FILE": os.devnull,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PYTHONPATH": str(project),
    }
    migrate = run(project, venv, "python", "manage.py", "migrate", **env)
    assert migrate.returncode == 0, output(migrate)

    script = render.REPO_ROOT / "bench" / "inprocess.py"
    entry = json.dumps(asdict(BACKENDS[backend]))
    probe = run(project, venv, "python", script, "my_api", entry, **env)

    assert probe.returncode == 0, output(probe)
    figures = json.loads(probe.stdout)
    assert figures["backend"] == backend
    assert figures["queries"] == 1
    assert figures["project_class"].startswith("my_api.tokens.authentication.")
    assert figures["floor_us"] > 0
    assert figures["project_us"] > 0


def test_targets_are_judged_from_the_figures():
    figures = targets.Figures(
        auth_floor_ratio={"sqlite": 2.5, "postgresql": 1.2},
        auth_instances_ratio={"sqlite": 1.6, "postgresql": 1.1},
        auth_throughput_ratio={"sqlite": 0.75, "postgresql": 0.5},
        throttle_throughput_ratio={"sqlite": 0.8, "postgresql": 0.9},
        render_ratio=1.2,
        render_cli_ratio=1.1,
        render_per_source_ratio=1.0,
        render_sources=40,
        render_files=40,
        suite_seconds={"default": 2.0, "email-jwt-postgresql": 3.4},
        quick_start_seconds=(70.0, 30.0),
        template_minutes=(7.5, 4.5),
        cache_gb=1.2,
        image_over_base_mb=160.0,
        warm_build_seconds=2.4,
        container_throughput_ratio=0.95,
        published_throughput_ratio=0.6,
        logging_overhead_in_process=0.011,
        logging_overhead_served=0.062,
        reset_timing_difference_ms=-0.031,
        reset_timing_noise_ms=0.12,
    )

    table = targets.report(figures).splitlines()[6:]
    verdicts = [line.rsplit("|", 2)[-2].strip() for line in table]

    assert [verdict.split(":")[0] for verdict in verdicts] == [
        "not met",
        "met",
        "not met",
        "met",
        "not met",
        "met",
        "met",
        "met",
        "not met",
        "met",
        "met",
        "not met",
        "met",
    ]
    assert "1.6x" in verdicts[0]
    assert "0.80x (PostgreSQL: 0.90x)" in table[2]
    assert verdicts[5] == "met"  # the quick start: 30 s warm
    assert "7.5 min (again, with its caches warm: 4.5 min)" in table[6]
    assert "email-jwt-postgresql" in verdicts[4]
    assert "160 MB" in table[8]
    assert "0.95x at the container's address, 0.60x through its published port" in table[10]
    assert "+1.1% per request in process, +6.2% of throughput under load" in table[11]
    assert "-0.031 ms (noise 0.120 ms)" in table[12]
    noisy = replace(figures, reset_timing_difference_ms=0.2)
    assert targets.report(noisy).splitlines()[-1].rsplit("|", 2)[-2].strip().startswith("not met")


def test_the_plain_baseline_is_the_project_without_request_ids_and_json_logs(tmp_path):
    project = render_project(tmp_path / "project", {})
    venv = project_venv(project)
    (project / "config" / "settings" / "plain.py").write_text(operations.PLAIN_SETTINGS)
    (project / "gunicorn.plain.conf.py").write_text(operations.PLAIN_GUNICORN)
    env = {
        "DJANGO_ENV_FILE": os.devnull,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        **PRODUCTION_MAIL,
        "PYTHONPATH": str(project),
    }
    show = "import django, json; django.setup(); from django.conf import settings as s; "
    show += "print(json.dumps([s.MIDDLEWARE, s.LOGGING]))"

    settings = {
        name: json.loads(
            output_of(
                run(project, venv, "python", "-c", show, **env, DJANGO_SETTINGS_MODULE=module)
            )
        )
        for name, module in (
            ("project", "config.settings.production"),
            ("plain", "config.settings.plain"),
        )
    }
    check = run(project, venv, "gunicorn", "--check-config", "-c", "gunicorn.plain.conf.py", **env)

    project_middleware, project_logging = settings["project"]
    plain_middleware, plain_logging = settings["plain"]
    assert plain_middleware == [
        m for m in project_middleware if m != "my_api.core.request_id.RequestIDMiddleware"
    ]
    assert plain_middleware != project_middleware
    assert "JsonLineFormatter" in json.dumps(project_logging)
    assert "formatters" not in plain_logging
    assert check.returncode == 0, output(check)


def output_of(result):
    assert result.returncode == 0, output(result)
    return result.stdout


def test_each_test_module_belongs_to_one_stage():
    modules = [module for modules in firsthour.STAGES.values() for module in modules]
    on_disk = sorted(path.stem for path in Path(__file__).parent.glob("test_*.py"))

    assert sorted(modules) == on_disk
    assert firsthour.stage_of("tests.test_fuzz") == "fuzzing and generated client"


def test_disk_use_counts_a_hard_linked_file_once(tmp_path):
    (tmp_path / "cache").mkdir()
    (tmp_path / "venv").mkdir()
    (tmp_path / "cache" / "wheel").write_bytes(b"x" * 100_000)
    os.link(tmp_path / "cache" / "wheel", tmp_path / "venv" / "wheel")

    once = firsthour.disk_bytes(tmp_path / "cache")

    assert once >= 100_000
    assert firsthour.disk_bytes(tmp_path / "cache", tmp_path / "venv") == once


def test_the_browser_report_sets_the_cookie_against_the_header():
    report = browser.report({"header": 400.0, "cookie": 440.0})

    assert "| the `Authorization` header | 400 | 1.00x |" in report
    assert "| 440 | 1.10x |" in report
