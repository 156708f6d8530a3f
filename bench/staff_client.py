"""A staff member's browser, reduced to what the load bench needs, over plain ``http.client``.

It keeps cookies (session, CSRF token, messages), signs in through the admin's login page,
fills in a form from its page the way a browser submits it (every successful control, text
areas and selected options included, the chosen submit button), posts it URL-encoded or as
multipart with a file, and calls the Annotate screen's JSON endpoints with the ``X-CSRFToken``
header its script sends. Each request opens a connection of its own, so a failure is never a
stale keep-alive connection's: it is what the server did.
"""

import http.client
import json
import secrets
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode

HOST = "127.0.0.1"
SKIPPED_INPUTS = {"submit", "button", "image", "reset", "file"}


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str:
        name = name.lower()
        return next((value for key, value in self.headers if key.lower() == name), "")

    def json(self) -> dict:
        try:
            value = json.loads(self.body)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


class StaffClient:
    """One staff session against a server on a loopback port."""

    def __init__(self, port: int, timeout: float = 10.0):
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    @property
    def origin(self) -> str:
        return f"http://{HOST}:{self.port}"

    def request(self, method: str, path: str, body: bytes | None = None, headers=None) -> Response:
        """One request on a new connection; raises OSError or HTTPException when none answers."""
        sent = {"Accept": "text/html,application/json", "Connection": "close"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if method != "GET":
            sent["Origin"] = self.origin
            sent["Referer"] = self.origin + path
        sent.update(headers or {})
        connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        began = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            content = response.read()
            cookies = response.msg.get_all("Set-Cookie") or []
            answer = Response(response.status, response.getheaders(), content, 0.0)
        finally:
            connection.close()
        answer.seconds = time.monotonic() - began
        for line in cookies:
            self._keep_cookie(line)
        return answer

    def _keep_cookie(self, line: str) -> None:
        jar = SimpleCookie()
        jar.load(line)
        for name, morsel in jar.items():
            if morsel["max-age"] == "0" or morsel.value == "":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post_form(self, path: str, pairs, files=()) -> Response:
        """Post ``pairs`` ((name, value), ...) URL-encoded, or as multipart with ``files``.

        ``files`` holds (field name, file name, content type, bytes).
        """
        if files:
            body, content_type = multipart(pairs, files)
        else:
            body, content_type = (
                urlencode(list(pairs)).encode(),
                "application/x-www-form-urlencoded",
            )
        return self.request("POST", path, body, {"Content-Type": content_type})

    def post_json(self, path: str, payload: dict) -> Response:
        headers = {
            "Content-Type": "application/json",
            "X-CSRFToken": self.cookies.get("csrftoken", ""),
            "X-Requested-With": "XMLHttpRequest",
        }
        return self.request("POST", path, json.dumps(payload).encode(), headers)

    def login(self, username: str, password: str) -> None:
        """Sign in through /admin/login/ as a person would; raises RuntimeError if refused."""
        page = self.get("/admin/login/?next=/admin/")
        if page.status != 200:
            raise RuntimeError(f"The login page answered {page.status}.")
        pairs = form_pairs(page.text, form_id="login-form")
        pairs = [(n, v) for n, v in pairs if n not in ("username", "password")]
        pairs += [("username", username), ("password", password)]
        answer = self.post_form("/admin/login/?next=/admin/", pairs)
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"Signing in as {username} answered {answer.status}.")


class _FormReader(HTMLParser):
    """Collects the successful controls of one form, in document order."""

    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.pairs: list[tuple[str, str]] = []
        self.files: list[str] = []
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: dict | None = None
        self._option: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.inside = self.form_id is None or attributes.get("id") == self.form_id
            return
        if not self.inside or "disabled" in attributes:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind == "file":
                self.files.append(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self.pairs.append((name, attributes.get("value") or "on"))
            elif kind not in SKIPPED_INPUTS:
                self.pairs.append((name, attributes.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select = {"name": name, "multiple": "multiple" in attributes, "options": []}
        elif tag == "option" and self._select is not None:
            self._option = {
                "value": attributes.get("value"),
                "selected": "selected" in attributes,
                "text": "",
            }
            self._select["options"].append(self._option)

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)
        elif self._option is not None:
            self._option["text"] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            # A browser drops the newline right after <textarea>.
            if text.startswith("\r\n"):
                text = text[2:]
            elif text.startswith("\n"):
                text = text[1:]
            self.pairs.append((self._textarea, text))
            self._textarea = None
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            self._finish_select()

    def _finish_select(self):
        select, self._select = self._select, None
        options = select["options"]
        chosen = [option for option in options if option["selected"]]
        if not chosen and not select["multiple"] and options:
            chosen = options[:1]  # a single select submits its first option by default
        for option in chosen:
            value = option["value"] if option["value"] is not None else option["text"].strip()
            self.pairs.append((select["name"], value))


def form_pairs(html: str, form_id: str | None = None) -> list[tuple[str, str]]:
    """What a browser submits for the form ``form_id`` (the first form if None), unchanged."""
    reader = _FormReader(form_id)
    reader.feed(html)
    reader.close()
    return reader.pairs


def replace(pairs, name: str, value: str) -> list[tuple[str, str]]:
    """``pairs`` with the value of ``name`` replaced (added if missing)."""
    found = False
    result = []
    for key, old in pairs:
        if key == name:
            if not found:
                result.append((key, value))
            found = True
        else:
            result.append((key, old))
    if not found:
        result.append((name, value))
    return result


def value_of(pairs, name: str) -> str | None:
    return next((value for key, value in pairs if key == name), None)


def multipart(pairs, files) -> tuple[bytes, str]:
    boundary = f"----bench{secrets.token_hex(12)}"
    chunks = []
    for name, value in pairs:
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + str(value).encode()
            + b"\r\n"
        )
    for name, filename, content_type, content in files:
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"
