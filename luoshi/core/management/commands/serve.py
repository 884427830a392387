"""Serve the application with gunicorn and run the background loops beside it.

For a single machine: one command, two child processes, both stopped together.
In production run ``gunicorn luoshi.wsgi`` and ``manage.py runloops`` as separate
services instead (see README).
"""

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "以 gunicorn 提供网页服务，并同时运行后台循环。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default=os.environ.get("LUOSHI_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))

    def handle(self, *args: Any, **options: Any) -> None:
        python = sys.executable
        web = subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
            [
                python, "-m", "gunicorn", "luoshi.wsgi:application",
                "--bind", options["bind"],
                "--workers", str(options["workers"]),
                "--threads", "4",
                "--worker-class", "gthread",
                "--access-logfile", "-",
                "--timeout", "120",
            ]
        )  # fmt: skip
        loops = subprocess.Popen([python, "manage.py", "runloops"])  # noqa: S603
        children = [web, loops]

        def stop(signum: int, frame: object) -> None:
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        # If either child dies, stop the other: a web server without its loops would
        # silently stop reminding, which is worse than being visibly down.
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        stop(signal.SIGTERM, None)
        codes = [child.wait() for child in children]
        sys.exit(max(abs(code) for code in codes) if any(codes) else 0)
