"""gunicorn's logger (`logger_class` in gunicorn.conf.py): one access line per
request, as a log record with fields, so the JSON format (config/logs.py) gives
each its own key."""

from gunicorn.glogging import Logger

from .log_filters import redact
from .request_id import ENVIRON_REQUEST_ID, ENVIRON_USER_ID


class AccessLogger(Logger):
    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        method = environ.get("REQUEST_METHOD", "-")
        # As the client sent it, percent-encoded, without the query string, where
        # clients put tokens; a token in the path itself is redacted.
        path = redact(environ.get("RAW_URI", "").partition("?")[0]) or "-"
        fields = {
            "method": method,
            "path": path,
            "status": resp.status_code,
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "response_bytes": resp.sent,
            "remote_addr": environ.get("REMOTE_ADDR"),
        }
        if request_id := environ.get(ENVIRON_REQUEST_ID):
            fields["request_id"] = request_id
        if (user_id := environ.get(ENVIRON_USER_ID)) is not None:
            fields["user_id"] = user_id
        self.access_log.info("%s %s %s", method, path, resp.status_code, extra=fields)
