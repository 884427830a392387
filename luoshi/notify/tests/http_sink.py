"""A local HTTP server standing in for the gateways in tests.

``HttpSink`` listens on 127.0.0.1 (a free port), records every request and answers from a
sequence of ``(status, body)`` replies; the last reply repeats once the sequence is used
up. Use it as a context manager, or through the ``http_sink`` fixture::

    with HttpSink() as sink:
        sink.reply(200, {"errcode": 0})
        post(sink.url("/robot/send?key=abc"), ...)
        assert sink.requests[0].json == {...}
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    raw: bytes
    json: Any = None

    def header(self, name: str) -> str | None:
        """A header by name, whatever its case."""
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None


@dataclass
class Reply:
    status: int = 200
    body: str = ""
    # Seconds to wait before answering (to provoke a client timeout).
    delay: float = 0.0
    content_type: str = "application/json; charset=utf-8"


@dataclass
class _State:
    requests: list[Recorded] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=lambda: [Reply(200, '{"errcode":0}')])
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_reply(self) -> Reply:
        with self.lock:
            return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        state = self.server.state
        with state.lock:
            state.requests.append(
                Recorded(
                    method=self.command,
                    path=parts.path,
                    query=parse_qs(parts.query, keep_blank_values=True),
                    headers=dict(self.headers.items()),
                    raw=raw,
                    json=parsed,
                )
            )
        reply = state.next_reply()
        if reply.delay:
            time.sleep(reply.delay)
        body = reply.body.encode()
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test)

    do_POST = _handle
    do_GET = _handle

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: _State


class HttpSink:
    def __init__(self) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.state = _State()
        # serve_forever notices shutdown() only at its next poll: 0.5 s by default, paid by
        # every test that stops a sink.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    # --- lifecycle
    def start(self) -> HttpSink:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> HttpSink:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- configuration
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str = "/") -> str:
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def reply(self, *replies: tuple[int, Any] | Reply | int) -> None:
        """Answer the next requests with these replies, in order; the last one repeats.

        Each reply is a ``Reply``, a status, or ``(status, body)`` where a body that is not
        a string is sent as JSON.
        """
        sequence = []
        for item in replies:
            if isinstance(item, Reply):
                sequence.append(item)
            elif isinstance(item, int):
                sequence.append(Reply(item, ""))
            else:
                status, body = item
                text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
                sequence.append(Reply(status, text))
        with self._server.state.lock:
            self._server.state.replies = sequence or [Reply()]

    # --- what was received
    @property
    def requests(self) -> list[Recorded]:
        with self._server.state.lock:
            return list(self._server.state.requests)

    @property
    def last(self) -> Recorded:
        requests = self.requests
        assert requests, "the sink received no request"
        return requests[-1]

    def clear(self) -> None:
        with self._server.state.lock:
            self._server.state.requests.clear()


def unused_port() -> int:
    """A local port nothing listens on (connections to it are refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
def http_sink() -> Iterator[HttpSink]:
    with HttpSink() as sink:
        yield sink
