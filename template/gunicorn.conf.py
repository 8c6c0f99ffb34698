"""gunicorn's settings: `gunicorn` with no arguments, in this directory, reads this file.

Production settings unless DJANGO_SETTINGS_MODULE says otherwise (config/wsgi.py).
Values come from the environment or `.env`, as the settings' do.
"""

import multiprocessing

from config.env import env
from config.logs import logging_config

wsgi_app = "config.wsgi:application"
# Loopback by default; containers bind every interface (see Dockerfile).
bind = env.str("GUNICORN_BIND", default="127.0.0.1:8000")
workers = env.int("GUNICORN_WORKERS", default=multiprocessing.cpu_count() * 2 + 1)
timeout = env.int("GUNICORN_TIMEOUT", default=30)
# On SIGTERM, requests in flight get this many seconds to finish; it stays under
# the 30 s that Kubernetes and compose.yaml allow before they kill the process.
graceful_timeout = env.int("GUNICORN_GRACEFUL_TIMEOUT", default=25)
# The app's format (JSON unless DJANGO_LOG_FORMAT=text), secrets redacted, and
# one access line per request with its request ID and user.
logconfig_dict = logging_config(
    env.str("DJANGO_LOG_FORMAT", default="json"), env.str("DJANGO_LOG_LEVEL", default="INFO")
)
logger_class = "config.gunicorn_logging.AccessLogger"
