"""A small HTTP client for the benchmarks: cookies, CSRF, the login with its second factor,
form posts and file uploads, on the standard library only (no extra dependency)."""

from __future__ import annotations

import http.cookiejar
import re
import time
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Response:
    status: int
    url: str
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class NoRaise(urllib.request.HTTPErrorProcessor):
    """Hand 4xx/5xx back as responses: the benchmark reports them instead of crashing."""

    def http_response(self, request: Any, response: Any) -> Any:
        if response.status in {301, 302, 303, 307, 308}:
            return super().http_response(request, response)  # follows the redirect
        return response

    https_response = http_response


class WebClient:
    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRaise()
        )

    def _send(self, request: urllib.request.Request) -> Response:
        t = time.perf_counter()
        with self.opener.open(request, timeout=600) as r:
            body = r.read()
            return Response(r.status, r.geturl(), body, time.perf_counter() - t)

    def get(self, path: str) -> Response:
        return self._send(urllib.request.Request(self.base + path))

    def csrf(self) -> str:
        for cookie in self.jar:
            if cookie.name == "csrftoken":
                return cookie.value
        raise RuntimeError("no CSRF cookie yet: GET a page with a form first")

    def post(self, path: str, data: dict[str, str]) -> Response:
        fields = {"csrfmiddlewaretoken": self.csrf(), **data}
        body = urllib.parse.urlencode(fields).encode()
        req = urllib.request.Request(self.base + path, data=body, method="POST")
        req.add_header("Content-Type", "application/x-www-form-urlencoded")
        req.add_header("Referer", self.base + path)
        return self._send(req)

    def upload(self, path: str, data: dict[str, str], name: str, filename: str,
               content: bytes, content_type: str) -> Response:  # fmt: skip
        boundary = uuid.uuid4().hex
        parts: list[bytes] = []
        for key, value in {"csrfmiddlewaretoken": self.csrf(), **data}.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
                         f"{value}\r\n".encode())  # fmt: skip
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        req = urllib.request.Request(self.base + path, data=b"".join(parts), method="POST")
        req.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
        req.add_header("Referer", self.base + path)
        return self._send(req)

    def login(self, username: str, password: str, totp_secret: str | None) -> None:
        self.get("/accounts/login/")
        r = self.post("/accounts/login/", {"username": username, "password": password})
        if "/accounts/mfa/verify/" in r.url:
            if not totp_secret:
                raise RuntimeError(f"{username} needs a second factor and none was given")
            import pyotp

            r = self.post("/accounts/mfa/verify/", {"code": pyotp.TOTP(totp_secret).now()})
        if "/accounts/login/" in r.url or "/accounts/mfa/" in r.url:
            raise RuntimeError(f"{username} could not log in (ended on {r.url}, {r.status})")
