import pytest
from django.core.exceptions import ImproperlyConfigured

from luoshi import env


def test_it_parses_booleans_strictly(monkeypatch) -> None:
    monkeypatch.setenv("LUOSHI_DEMO", "yes")
    assert env.env_bool("LUOSHI_DEMO") is True
    monkeypatch.setenv("LUOSHI_DEMO", "maybe")
    with pytest.raises(ImproperlyConfigured, match=r"LUOSHI_DEMO.*应为 1/0"):
        env.env_bool("LUOSHI_DEMO")


def test_it_rejects_bad_database_urls(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://x@y/z")
    with pytest.raises(ImproperlyConfigured, match=r"DATABASE_URL.*只支持"):
        env.database_from_env(tmp_path / "db.sqlite3")
    monkeypatch.setenv("DATABASE_URL", "postgres://u@localhost:5432/luoshi")
    parsed = env.database_from_env(tmp_path / "db.sqlite3")
    assert parsed["ENGINE"] == "django.db.backends.postgresql"
    assert parsed["NAME"] == "luoshi"
    monkeypatch.delenv("DATABASE_URL")
    default = env.database_from_env(tmp_path / "db.sqlite3")
    assert default["ENGINE"] == "django.db.backends.sqlite3"
    assert "journal_mode=WAL" in default["OPTIONS"]["init_command"]


def test_it_checks_numbers_and_lists(monkeypatch) -> None:
    monkeypatch.setenv("EMAIL_PORT", "abc")
    with pytest.raises(ImproperlyConfigured, match=r"EMAIL_PORT.*整数"):
        env.env_int("EMAIL_PORT", 25)
    monkeypatch.setenv("EMAIL_PORT", "70000")
    with pytest.raises(ImproperlyConfigured, match="65535"):
        env.env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
    monkeypatch.setenv("ALLOWED_HOSTS", " , ")
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS"):
        env.env_list("ALLOWED_HOSTS", [])
    monkeypatch.setenv("ALLOWED_HOSTS", "a.gov.cn, b.gov.cn")
    assert env.env_list("ALLOWED_HOSTS", []) == ["a.gov.cn", "b.gov.cn"]


def test_it_keeps_a_generated_secret_key(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = env.secret_key(tmp_path)
    assert len(first) >= 50
    assert env.secret_key(tmp_path) == first
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        env.secret_key(tmp_path)


def test_it_refuses_to_start_with_bad_settings(tmp_path) -> None:
    import os
    import subprocess
    import sys

    bad = {**os.environ, "DATABASE_URL": "oracle://x", "LUOSHI_VAR_DIR": str(tmp_path)}
    bad["DJANGO_SETTINGS_MODULE"] = "luoshi.settings"
    out = subprocess.run(
        [sys.executable, "manage.py", "check"], env=bad, capture_output=True, text=True, check=False
    )
    assert out.returncode != 0
    assert "环境变量 DATABASE_URL 的值无效" in out.stderr
