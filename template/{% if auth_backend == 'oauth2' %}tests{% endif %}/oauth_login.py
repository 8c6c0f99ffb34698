"""A user's tokens from a running server, through the authorization code flow with
PKCE over HTTP, with the standard library only: what a browser and a public
client do, for tools that need to act as a user (the fuzzing hook,
schemathesis_hooks.py). tests/test_oauth_login.py runs it against a live server.
"""

import base64
import hashlib
import json
import re
import secrets
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from http.cookiejar import CookieJar


class Form(HTMLParser):
    """The inputs of a page's first form: {name: value}."""

    def __init__(self, page):
        super().__init__()
        self.fields = {}
        self.forms = 0
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            self.forms += 1
        if tag == "input" and self.forms == 1:
            attributes = dict(attrs)
            if attributes.get("name"):
                self.fields[attributes["name"]] = attributes.get("value") or ""


class KeepRedirects(urllib.request.HTTPRedirectHandler):
    """Follow no redirect: the flow reads each Location itself (the last one points
    at the client's redirect URI, where nothing need listen)."""

    def redirect_request(self, *args, **kwargs):
        return None


def send(opener, url, form=None):
    """(status, headers, text) of a GET, or of a form's POST; 4xx and 5xx included."""
    data = None if form is None else urllib.parse.urlencode(form).encode()
    try:
        with opener.open(url, data, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read().decode()


def authorize(base_url, login, password, authorize_url):
    """What a person does in a browser: open the authorization URL (path and query),
    log in on the login page, approve on the consent page. The URL the browser is
    then sent to: the client's redirect URI with the code, or with an error."""
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(CookieJar()), KeepRedirects()
    )
    login_page = f"{base_url}/o/login/"
    _, _, page = send(browser, f"{login_page}?{urllib.parse.urlencode({'next': authorize_url})}")
    form = Form(page).fields | {"username": login, "password": password}
    status, headers, page = send(browser, login_page, form)
    if status != 302:
        errors = re.findall(r'class="errors">(.*?)</p>', page, re.DOTALL)
        raise RuntimeError(f"Logging in failed ({status}): {' '.join(errors) or page[:500]}")
    status, headers, page = send(browser, f"{base_url}{authorize_url}")
    if status == 200:  # the consent page; a client authorized before goes straight on
        consent = Form(page).fields | {"allow": "Authorize"}
        status, headers, page = send(browser, f"{base_url}{authorize_url}", consent)
    if status != 302:
        raise RuntimeError(f"Authorizing failed ({status}): {page[:500]}")
    return headers["Location"]


def obtain_tokens(base_url, login, password, client_id, redirect_uri, scope="read write"):
    """A public client's whole authorization code flow with PKCE: the token
    endpoint's JSON body."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    query = urllib.parse.urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": scope,
            "state": secrets.token_urlsafe(8),
            "code_challenge": challenge.rstrip(b"=").decode(),
            "code_challenge_method": "S256",
        }
    )
    location = authorize(base_url, login, password, f"/o/authorize/?{query}")
    code = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query).get("code")
    if not code:
        raise RuntimeError(f"Authorizing failed: sent to {location}")
    exchange = {
        "grant_type": "authorization_code",
        "client_id": client_id,
        "code": code[0],
        "code_verifier": verifier,
        "redirect_uri": redirect_uri,
    }
    status, _, body = send(urllib.request.build_opener(), f"{base_url}/o/token/", exchange)
    if status != 200:
        raise RuntimeError(f"The code exchange failed ({status}): {body}")
    return json.loads(body)
