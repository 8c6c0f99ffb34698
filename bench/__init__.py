"""Benchmarks of the template and its rendered projects (python -m bench)."""

# Set before any section imports copier: copier runs tasks with plumbum's copy of
# the environment, taken when plumbum is first imported.
import os

from harness.runner import REPO_ROOT, uv_environment

# The template's tests render with an empty copier settings file; so does the bench.
os.environ["COPIER_SETTINGS_PATH"] = str(REPO_ROOT / "tests" / "copier-settings.yml")
# uv locks each rendered project and builds the virtualenvs, as in the tests.
os.environ.update(uv_environment())
