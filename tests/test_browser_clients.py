"""Browser clients in a real browser, across two origins of one site (SEC-70).

Headless Chromium opens a small single-page app served from
`app.<site>.localhost`, which calls the API on `api.<site>.localhost` the way the
generated docs show: CSRF token, login, hello with the cookie, refresh (jwt),
logout, then 401; and `document.cookie` never shows a token. A page on
`other.<site>.localhost`, same site but not a listed origin, is refused: its
credentialed read by CORS, in the browser, and its unsafe request (which the
browser does send, cookie included) by the API's CSRF check itself. A screenshot
of the app page after its flow is left in `.cache/artifacts/`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from harness.devserver import DevServer, dev_server, free_port
from harness.runner import REPO_ROOT
from harness.variants import VARIANTS

# Files the tests leave for people to look at (the app page after its flow).
ARTIFACTS = REPO_ROOT / ".cache" / "artifacts"
BROWSER_VARIANTS = [variant for variant in VARIANTS if variant.answers.get("browser_clients")]
# Three labels per host: app.shop.localhost and api.shop.localhost are one site
# (two-label *.localhost names are sites of their own).
SITE = "shop.localhost"

APP_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>App</title></head>
<body><pre id="result">running</pre>
<script>
const api = "%(api)s/api";
const call = (path, options = {}) => fetch(api + path, { credentials: "include", ...options });
async function flow() {
  const steps = {};
  const { csrfToken } = await (await call("/auth/browser/csrf/")).json();
  const unsafe = (path, body) => call(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
    body: JSON.stringify(body),
  });
  steps.login = (await unsafe("/auth/browser/login/", %(credentials)s)).status;
  const hello = await call("/hello/");
  steps.hello = [hello.status, await hello.json()];
  steps.cookies = document.cookie;
  if (%(refresh)s) {
    steps.refresh = (await unsafe("/auth/browser/refresh/", {})).status;
    steps.helloAfterRefresh = (await call("/hello/")).status;
  }
  return steps;
}
async function logout() {
  const { csrfToken } = await (await call("/auth/browser/csrf/")).json();
  const steps = {};
  steps.logout = (await call("/auth/browser/logout/", {
    method: "POST", headers: { "X-CSRFToken": csrfToken },
  })).status;
  steps.helloAfterLogout = (await call("/hello/")).status;
  return steps;
}
const show = (steps) => { document.getElementById("result").textContent = JSON.stringify(steps); };
const run = (what) => what().then(show, (error) => show({ error: String(error) }));
run(location.hash === "#logout" ? logout : flow);
</script></body></html>
"""

OTHER_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Other</title></head>
<body><pre id="result">running</pre>
<script>
const api = "%(api)s/api";
async function probe() {
  const steps = {};
  try {
    await fetch(api + "/hello/", { credentials: "include" });
    steps.read = "allowed";
  } catch (error) {
    steps.read = "blocked";
  }
  // Sent, cookie included (same site); the page cannot see the answer.
  await fetch(api + "/auth/browser/logout/",
    { method: "POST", credentials: "include", mode: "no-cors" });
  steps.unsafe = "sent";
  return steps;
}
probe().then((steps) => { document.getElementById("result").textContent = JSON.stringify(steps); });
</script></body></html>
"""


class PageHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        page = self.server.html.encode()  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    def log_message(self, format: str, *args: object) -> None:
        pass


class Pages(ThreadingHTTPServer):
    """Serves one HTML page at every path, on a port of its own."""

    def __init__(self) -> None:
        self.html = ""
        super().__init__(("127.0.0.1", free_port()), PageHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def origin(self, host: str) -> str:
        return f"http://{host}.{SITE}:{self.server_address[1]}"


@pytest.fixture
def site(project, venv, tmp_path) -> Iterator[tuple[DevServer, str, Pages, Pages]]:
    """The API on api.<site>, and the pages of the app's origin (listed) and of
    another origin of the site (not listed)."""
    app_pages, other_pages = Pages(), Pages()
    env = {
        "DJANGO_ALLOWED_HOSTS": f".{SITE},127.0.0.1,localhost",
        "DJANGO_CORS_ALLOWED_ORIGINS": app_pages.origin("app"),
    }
    try:
        with dev_server(project, venv, tmp_path, **env) as server:
            yield server, server.url.replace("127.0.0.1", f"api.{SITE}"), app_pages, other_pages
    finally:
        for pages in (app_pages, other_pages):
            pages.shutdown()
            pages.server_close()


def result_of(driver) -> dict:
    from selenium.webdriver.support.wait import WebDriverWait

    WebDriverWait(driver, 20).until(
        lambda d: d.find_element("id", "result").text not in {"", "running"}
    )
    return json.loads(driver.find_element("id", "result").text)


@pytest.mark.parametrize("variant", BROWSER_VARIANTS[:2], ids=str, indirect=True)
def test_a_single_page_app_on_another_origin_logs_in_by_cookie(site, variant, tmp_path):
    from tests.test_oauth2_clients import chrome

    server, api_origin, app_pages, other_pages = site
    jwt = variant.backend.name == "jwt"
    credentials = json.dumps(server.credentials)
    app_pages.html = APP_PAGE % {
        "api": api_origin,
        "credentials": credentials,
        "refresh": str(jwt).lower(),
    }
    other_pages.html = OTHER_PAGE % {"api": api_origin}
    app = app_pages.origin("app")

    with chrome() as driver:
        driver.get(f"{app}/")
        steps = result_of(driver)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / f"browser-clients-{variant}.png"))
        assert steps["login"] == 204, steps
        assert steps["hello"] == [200, {"message": f"Hello {server.login}"}], steps
        assert steps["cookies"] == "", "a token (or any API cookie) is readable by the page"
        # On the API's own origin too, the token's cookie is HttpOnly.
        driver.get(f"{api_origin}/api/health/")
        cookies = {cookie["name"]: cookie for cookie in driver.get_cookies()}
        assert cookies["api_token"]["httpOnly"] is True
        assert cookies["api_token"]["sameSite"] == "Lax"
        if jwt:
            assert (steps["refresh"], steps["helloAfterRefresh"]) == (204, 200), steps

        driver.get(f"{other_pages.origin('other')}/")
        assert result_of(driver) == {"read": "blocked", "unsafe": "sent"}

        # The unsafe request from the other origin carried the cookie and was refused
        # by CSRF: the app is still logged in, and logs out itself.
        driver.get(f"{app}/#logout")
        steps = result_of(driver)
        assert steps == {"logout": 204, "helloAfterLogout": 401}, steps
