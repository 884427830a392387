"""Profile one page in-process on a generated data set (cProfile, 3 requests after a warm-up).

    python bench/profile_page.py MANIFEST USERNAME PATH [--lines 40]

Uses the manifest bench/generate.py wrote; prints the status, the page size, the number
of queries of one request and the profile sorted by cumulative time."""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from server import server_env  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("manifest")
    ap.add_argument("username")
    ap.add_argument("path")
    ap.add_argument("--lines", type=int, default=40)
    args = ap.parse_args()
    manifest = json.loads(Path(args.manifest).read_text())
    os.environ.update(server_env(manifest["url"], str(HERE.parent / "var" / "bench" / "server")))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from luoshi.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=args.username))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(args.path)
    print(f"{response.status_code}, {len(response.content):,} bytes, {len(queries)} queries")
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(3):
        client.get(args.path)
    profile.disable()
    pstats.Stats(profile).sort_stats(os.environ.get("SORT", "cumtime")).print_stats(args.lines)


if __name__ == "__main__":
    main()
