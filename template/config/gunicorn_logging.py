"""gunicorn's logger, writing access lines with secret query parameters redacted
(`logger_class` in gunicorn.conf.py)."""

from gunicorn.glogging import Logger

from config.log_filters import redact


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["r"] = redact(atoms["r"])  # the request line
        atoms["q"] = redact(f"?{atoms['q']}")[1:]  # the query string, without its "?"
        return atoms
