"""`manage.py check --deploy` is clean with production settings, in a fresh process that
reads them from the environment as gunicorn would."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def deploy_check(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("LUOSHI_", "DJANGO_", "DATABASE_", "SECRET_", "ALLOWED_", "CSRF_"))
    }
    clean.update(
        DJANGO_SETTINGS_MODULE="luoshi.settings",
        LUOSHI_VAR_DIR=str(tmp_path),
        SECRET_KEY=secrets.token_urlsafe(60)[:60],
        ALLOWED_HOSTS="duban.example.gov.cn",
        CSRF_TRUSTED_ORIGINS="https://duban.example.gov.cn",
        **env,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_the_deploy_check_behind_https(tmp_path) -> None:
    result = deploy_check(tmp_path, LUOSHI_HTTPS="1")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert "?: (security." not in output
    assert "no issues" in output


def test_it_names_what_is_missing_without_https(tmp_path) -> None:
    """The same check catches a production set-up that forgot LUOSHI_HTTPS=1."""
    output = deploy_check(tmp_path).stderr
    for code in ("W004", "W008", "W012", "W016"):  # HSTS, redirect, both cookies
        assert f"?: (security.{code})" in output
