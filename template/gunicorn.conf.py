"""gunicorn's settings: `gunicorn` with no arguments, in this directory, reads this file.

Production settings unless DJANGO_SETTINGS_MODULE says otherwise (config/wsgi.py).
"""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
# Loopback by default; containers bind every interface (see Dockerfile).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
accesslog = "-"
# Access lines print query strings, which a client can fill with a token.
logger_class = "config.gunicorn_logging.RedactingLogger"
