"""The environment every settings module reads, loaded once.

Values that differ between machines come from the environment (or a git-ignored
`.env` file) through django-environ; see `.env.example` for the full list.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Variables already set in the environment win over the file.
env.read_env(env.str("DJANGO_ENV_FILE", default=str(BASE_DIR / ".env")))
