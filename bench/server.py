"""The production server for the HTTP benchmarks, and its memory.

One gunicorn worker (sync, one thread), so every request is measured alone and the
worker's memory is that of the requests measured. Its peak resident memory is read from
``/proc/PID/status`` (VmHWM) and reset between benchmarks by writing 5 to
``/proc/PID/clear_refs`` (Linux ≥ 4.0), so each benchmark reports its own peak."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, env: dict[str, str], port: int | None = None) -> None:
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = env
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        cmd = [sys.executable, "-m", "gunicorn", "luoshi.wsgi:application",
               "--bind", f"127.0.0.1:{self.port}", "--workers", "1", "--worker-class", "sync",
               "--timeout", "900", "--log-level", "warning"]  # fmt: skip
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env)  # noqa: S603
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=5):
                    return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        raise SystemExit("the server did not come up within 60 s")

    def __exit__(self, *exc: object) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)

    def worker_pid(self) -> int:
        assert self.proc is not None
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        return int(children.split()[0])

    def reset_peak(self) -> None:
        # Where not permitted, the peak covers the run so far.
        with contextlib.suppress(OSError):
            Path(f"/proc/{self.worker_pid()}/clear_refs").write_text("5")

    def memory_mb(self) -> tuple[float, float]:
        """(resident now, peak since the last reset) of the worker, in MB."""
        fields = {}
        for line in Path(f"/proc/{self.worker_pid()}/status").read_text().splitlines():
            key, _sep, value = line.partition(":")
            if key in {"VmRSS", "VmHWM"}:
                fields[key] = int(value.split()[0]) / 1024
        return fields["VmRSS"], fields["VmHWM"]


def server_env(database_url: str, var_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": database_url, "LUOSHI_VAR_DIR": var_dir, "LUOSHI_DEMO": "0",
        "LUOSHI_LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "luoshi.settings",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    })  # fmt: skip
    env.pop("LUOSHI_DEBUG", None)
    return env
