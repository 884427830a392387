"""JSON over HTTP for the gateways (SMS, 企业微信 and 钉钉 robots), on the standard library.

``post_json`` returns the status and body of whatever the gateway answered (a 4xx or 5xx
too) and raises on network failures; ``post`` turns those failures, and any answer that
is not 2xx, into a ``Result`` whose error an administrator can read on 消息投递.
Redirects are not followed: a gateway that answers 3xx is misconfigured.
"""

from __future__ import annotations

import http.client
import json
import socket
import ssl
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import quote, urlsplit

from django.conf import settings

from luoshi.notify.channels import Result

USER_AGENT = "luoshi-notify/1"
# How much of a gateway's answer goes into an error message.
BODY_EXCERPT = 200


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # the 3xx answer is returned as an HTTPError


_opener = urllib.request.build_opener(_NoRedirect)


def dumps(payload: Any) -> bytes:
    """The exact bytes sent for ``payload`` (what a signature is computed over)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def post_json(url: str, payload: Any, headers: dict[str, str] | None = None) -> tuple[int, str]:
    """POST ``payload`` as JSON (``bytes`` are sent as they are); (status, body).

    Raises ``ValueError`` for a URL that is not http(s), ``TimeoutError`` and ``OSError``
    (``urllib.error.URLError``) when the gateway cannot be reached or does not answer.
    """
    if urlsplit(url).scheme not in ("http", "https"):
        raise ValueError("地址必须以 http:// 或 https:// 开头。")
    data = payload if isinstance(payload, bytes) else dumps(payload)
    request = urllib.request.Request(url, data=data, method="POST")  # noqa: S310 - scheme checked
    request.add_header("Content-Type", "application/json; charset=utf-8")
    request.add_header("User-Agent", USER_AGENT)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    timeout = settings.LUOSHI_HTTP_TIMEOUT_SECONDS
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status, _text(response.read(), response.headers.get_content_charset())
    except urllib.error.HTTPError as exc:
        try:
            body = _text(exc.read(), exc.headers.get_content_charset() if exc.headers else None)
        except (OSError, AttributeError):
            body = ""
        return exc.code, body


def _text(raw: bytes, charset: str | None) -> str:
    return raw.decode(charset or "utf-8", errors="replace")


def excerpt(body: str) -> str:
    body = " ".join(body.split())
    return body if len(body) <= BODY_EXCERPT else body[:BODY_EXCERPT] + "…"


def network_error(exc: BaseException, gateway: str, url: str) -> Result:
    """A Result for a gateway that could not be reached or did not answer in time."""
    host = urlsplit(url).netloc or url
    reason: Any = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    timeout = settings.LUOSHI_HTTP_TIMEOUT_SECONDS
    if isinstance(reason, TimeoutError | socket.timeout):
        error = f"{gateway}（{host}）在 {timeout} 秒内没有响应（超时）。"
    elif isinstance(reason, ConnectionRefusedError):
        error = f"无法连接{gateway}（{host}）：连接被拒绝。"
    elif isinstance(reason, socket.gaierror):
        error = f"无法连接{gateway}（{host}）：域名无法解析。"
    elif isinstance(reason, ssl.SSLError | ssl.CertificateError):
        error = f"与{gateway}（{host}）建立 HTTPS 连接失败：{reason}。"
    elif isinstance(reason, ConnectionError):
        error = f"与{gateway}（{host}）的连接中断：{reason}。"
    else:
        error = f"无法连接{gateway}（{host}）：{reason}。"
    return Result(ok=False, error=error)


def status_error(status: int, body: str, gateway: str) -> Result:
    """A Result for an answer that is not 2xx."""
    text = excerpt(body)
    return Result(ok=False, error=f"{gateway}返回 HTTP {status}" + (f"：{text}" if text else "。"))


def post(
    url: str, payload: Any, headers: dict[str, str] | None = None, *, gateway: str
) -> tuple[int, str] | Result:
    """``post_json`` with every failure as a ``Result``: (status, body) only for a 2xx answer.

    ``gateway`` names the other side in the error, e.g. "短信网关".
    """
    try:
        status, body = post_json(url, payload, headers)
    except ValueError as exc:
        return Result(ok=False, error=f"{gateway}配置有误：{exc}", permanent=True)
    except (TimeoutError, OSError) as exc:  # URLError, socket errors, SSL errors
        return network_error(exc, gateway, url)
    except http.client.HTTPException as exc:  # not HTTP at all, or cut short
        host = urlsplit(url).netloc or url
        return Result(
            ok=False, error=f"{gateway}（{host}）的应答不是有效的 HTTP：{type(exc).__name__}。"
        )
    if not 200 <= status < 300:
        return status_error(status, body, gateway)
    return status, body


def json_body(body: str) -> dict[str, Any] | None:
    """The answer as a JSON object, None when it is not one."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def message_headers(key: str) -> dict[str, str]:
    """The idempotency id every gateway receives: the outbox row's unique key."""
    # Header values are Latin-1: a key with other characters travels percent-encoded.
    return {"X-Luoshi-Message-Id": key if key.isascii() else quote(key, safe=":/@")}
