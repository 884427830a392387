"""Reading configuration from environment variables.

Every bad value stops start-up with a message that names the variable and says what
was expected, so an operator never has to read a stack trace to fix a typo.
"""

from __future__ import annotations

import os
import secrets
from datetime import time
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def config_error(name: str, value: str, expected: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"环境变量 {name} 的值无效：{value!r}。{expected}")


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise config_error(name, raw, "应为 1/0、true/false、yes/no 或 on/off。")


def env_int(name: str, default: int, *, minimum: int = 0, maximum: int = 1 << 31) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise config_error(name, raw, "应为整数。") from None
    if not minimum <= value <= maximum:
        raise config_error(name, raw, f"应在 {minimum} 到 {maximum} 之间。")
    return value


def env_hours(name: str, default: str) -> tuple[time, time]:
    """Working hours as ``HH:MM-HH:MM`` (start before end)."""
    raw = os.environ.get(name) or default
    try:
        start_s, end_s = raw.strip().split("-")
        start, end = time.fromisoformat(start_s.strip()), time.fromisoformat(end_s.strip())
    except ValueError:
        raise config_error(name, raw, "应为“开始-结束”，例如 08:30-17:30。") from None
    if start >= end:
        raise config_error(name, raw, "开始时间应早于结束时间。")
    return start, end


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise config_error(name, raw, "应为以逗号分隔的一个或多个值。")
    return items


def database_from_env(default_sqlite: Path) -> dict[str, Any]:
    """DATABASE_URL → Django DATABASES['default'], SQLite when unset."""
    import dj_database_url

    raw = env_str("DATABASE_URL")
    if not raw:
        default_sqlite.parent.mkdir(parents=True, exist_ok=True)
        return sqlite_config(str(default_sqlite))
    scheme = raw.split(":", 1)[0].lower()
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise config_error(
            "DATABASE_URL", raw, "只支持 sqlite:///路径 或 postgres://用户:密码@主机:端口/库名。"
        )
    try:
        parsed: dict[str, Any] = dict(dj_database_url.parse(raw, conn_max_age=60))
    except Exception as exc:  # dj-database-url raises several unrelated types
        raise config_error("DATABASE_URL", raw, f"无法解析：{exc}") from None
    if scheme == "sqlite":
        return sqlite_config(parsed["NAME"])
    if not parsed.get("NAME"):
        raise config_error("DATABASE_URL", raw, "缺少数据库名。")
    parsed["CONN_HEALTH_CHECKS"] = True
    return parsed


def sqlite_config(path: str) -> dict[str, Any]:
    # WAL and IMMEDIATE transactions let the web workers and the background loops
    # share one SQLite file without "database is locked" errors on write.
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


def secret_key(var_dir: Path) -> str:
    """SECRET_KEY from the environment, or one generated once and kept under var/."""
    raw = env_str("SECRET_KEY")
    if raw:
        if len(raw) < 50 or len(set(raw)) < 5:
            raise config_error("SECRET_KEY", "***", "至少 50 个字符且不能是重复字符。")
        return raw
    key_file = var_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key
