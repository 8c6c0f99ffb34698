"""gunicorn's settings: `gunicorn` with no arguments, in this directory, reads this file.

Production settings unless DJANGO_SETTINGS_MODULE says otherwise (config/wsgi.py).
"""

import multiprocessing
import os

from config.logs import logging_config

wsgi_app = "config.wsgi:application"
# Loopback by default; containers bind every interface (see Dockerfile).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On SIGTERM, requests in flight get this many seconds to finish; it stays under
# the 30 s that Kubernetes and compose.yaml allow before they kill the process.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "25"))
# The same lines as the app's: JSON unless DJANGO_LOG_FORMAT=text, secrets redacted,
# one access line per request with its request ID and user.
logconfig_dict = logging_config(
    os.environ.get("DJANGO_LOG_FORMAT", "json"), os.environ.get("DJANGO_LOG_LEVEL", "INFO")
)
logger_class = "config.gunicorn_logging.AccessLogger"
