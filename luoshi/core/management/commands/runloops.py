import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from luoshi.core.loops import LOOPS, beat_idle, run_due_loops, sync_intervals


class Command(BaseCommand):
    help = "运行后台循环（工作日历同步、会话清理……）；可多开，同一步骤不会重复执行。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="只运行一轮到期的循环后退出")
        parser.add_argument("--tick", type=float, default=5.0, help="两轮之间的秒数")
        parser.add_argument(
            "--only",
            default="",
            help="只运行这些循环（以逗号分隔的名称，如 outbox），用于把循环拆成多个进程",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        names = [n.strip() for n in options["only"].split(",") if n.strip()]
        unknown = sorted(set(names) - {loop.name for loop in LOOPS})
        if unknown:
            known = "、".join(loop.name for loop in LOOPS)
            raise CommandError(f"没有这些循环：{'、'.join(unknown)}。可用：{known}")
        sync_intervals()
        while True:
            for name, summary in run_due_loops(names or None).items():
                self.stdout.write(f"[{name}] {summary}")
            beat_idle(names or None)
            if options["once"]:
                break
            deadline = time.monotonic() + options["tick"]
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.2)
            if stopping:
                break
            # A long-running process must drop connections the server has closed.
            close_old_connections()
