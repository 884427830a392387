"""Password rules of the security policy, as Django password validators.

The numbers come from ``current_policy()`` at the time of checking, so a change on the
安全策略 page applies to the next password set; help texts are built the same way.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from luoshi.accounts.policy import current_policy

DATA = Path(__file__).resolve().parent / "data"
MAX_LENGTH = 128
CLASS_NAMES = ("小写字母", "大写字母", "数字", "符号")
# Symbols people type for the letters they look like.
LOOK_ALIKES = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e",
                             "$": "s", "5": "s", "7": "t", "8": "b", "9": "g"})  # fmt: skip
# Rows and columns of a Chinese keyboard and plain sequences; each is also read backwards.
WALKS = (
    "1234567890", "!@#$%^&*()", "qwertyuiop", "asdfghjkl", "zxcvbnm",
    "abcdefghijklmnopqrstuvwxyz", "1qaz", "2wsx", "3edc", "4rfv", "5tgb", "6yhn", "7ujm",
    "8ik,", "9ol.", "0p;/", "!qaz", "@wsx", "#edc", "$rfv", "%tgb", "^yhn", "&ujm",
    "1q2w3e4r5t6y7u8i9o0p", "q1w2e3r4t5y6u7i8o9p0", "1a2b3c4d5e6f", "a1b2c3d4e5f6",
)  # fmt: skip
ALL_WALKS = WALKS + tuple(w[::-1] for w in WALKS)


def _words(name: str) -> frozenset[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return frozenset(s.strip().lower() for s in lines if s.strip() and not s.startswith("#"))


@cache
def breached_passwords() -> frozenset[str]:
    return _words("breached_passwords.txt")


@cache
def breached_look_alikes() -> frozenset[str]:
    return frozenset(p.translate(LOOK_ALIKES) for p in breached_passwords())


@cache
def weak_words() -> frozenset[str]:
    return _words("weak_words.txt")


def character_classes(password: str) -> int:
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


class PolicyLengthValidator:
    def validate(self, password: str, user: Any = None) -> None:
        minimum = current_policy().min_length
        if len(password) < minimum:
            raise ValidationError(f"密码至少需要 {minimum} 个字符。", code="password_too_short")
        if len(password) > MAX_LENGTH:
            raise ValidationError(f"密码不能超过 {MAX_LENGTH} 个字符。", code="password_too_long")

    def get_help_text(self) -> str:
        return f"至少 {current_policy().min_length} 个字符"


class CharacterClassesValidator:
    def validate(self, password: str, user: Any = None) -> None:
        wanted = current_policy().min_classes
        if character_classes(password) < wanted:
            raise ValidationError(
                f"密码须包含{'、'.join(CLASS_NAMES)}中的至少 {wanted} 类。",
                code="password_too_few_classes",
            )

    def get_help_text(self) -> str:
        return f"包含{'、'.join(CLASS_NAMES)}中的至少 {current_policy().min_classes} 类"


def _is_walk(lowered: str) -> bool:
    """True when all but two characters are runs of three or more keys in a row."""
    n = len(lowered)
    left = [0] + [n + 1] * n  # fewest characters outside walks, for each prefix
    for i in range(n):
        if left[i] > n:
            continue
        left[i + 1] = min(left[i + 1], left[i] + 1)
        for j in range(i + 3, n + 1):
            if not any(lowered[i:j] in walk for walk in ALL_WALKS):
                break
            left[j] = min(left[j], left[i])
    return left[n] <= 2


def _core(lowered: str) -> str:
    """The part between the first and the last letter, look-alikes read as letters."""
    match = re.search(r"[a-z](?:.*[a-z])?", lowered)
    return match.group(0).translate(LOOK_ALIKES) if match else ""


def _repeats_weak_word(core: str, words: frozenset[str]) -> bool:
    """True for a weak word, or one said several times over (``abcabc``, ``qqqq``)."""
    return any(
        core[:size] in words and core[:size] * (len(core) // size) == core
        for size in range(1, len(core) + 1)
        if len(core) % size == 0
    )


class BreachedPasswordValidator:
    """Refuses leaked and common passwords, word-plus-digits patterns and keyboard walks."""

    def validate(self, password: str, user: Any = None) -> None:
        lowered = password.lower()
        if (
            lowered in breached_passwords()
            or lowered.translate(LOOK_ALIKES) in breached_look_alikes()
        ):
            raise ValidationError(
                "该密码过于常见或已在泄露密码库中出现，请换一个。", code="password_breached"
            )
        core = _core(lowered)
        if core and _repeats_weak_word(core, weak_words()):
            raise ValidationError(
                "密码不能是常见单词、拼音或姓名加数字、符号（如 Woaini1314、Admin@123），"
                "请换一个。",
                code="password_weak_word",
            )
        if _is_walk(lowered):
            raise ValidationError(
                "密码不能是键盘连续键位或连续字符（如 Qwer1234!、1qaz@WSX），请换一个。",
                code="password_keyboard_walk",
            )

    def get_help_text(self) -> str:
        return "不能是常见或已泄露的密码、单词或拼音加数字、键盘连续键位"


class UserInfoValidator:
    """The user name and the phone number are the first things an attacker tries."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None:
            return
        lowered = password.lower()
        username = (getattr(user, "username", "") or "").lower()
        if len(username) >= 3 and (username in lowered or username[::-1] in lowered):
            raise ValidationError("密码不能包含用户名。", code="password_contains_username")
        name = (getattr(user, "name", "") or "").strip()
        if len(name) >= 2 and name in password:
            raise ValidationError("密码不能包含姓名。", code="password_contains_name")
        digits = re.sub(r"\D", "", getattr(user, "phone", "") or "")
        if len(digits) >= 6 and digits[-6:] in password:
            raise ValidationError("密码不能包含手机号码。", code="password_contains_phone")

    def get_help_text(self) -> str:
        return "不能包含用户名、姓名或手机号码"


class PasswordHistoryValidator:
    """New passwords may not repeat the latest ones; every password set is remembered."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        from luoshi.accounts.security_models import PasswordHistory

        count = current_policy().history
        hashes = list(
            PasswordHistory.objects.filter(user_id=user.pk).values_list("password", flat=True)[
                :count
            ]
        )
        stored = type(user).objects.filter(pk=user.pk).values_list("password", flat=True).first()
        if stored and stored not in hashes:
            hashes.insert(0, stored)
        if any(check_password(password, encoded) for encoded in hashes[:count]):
            raise ValidationError(
                f"新密码不能与最近 {count} 次使用过的密码相同。", code="password_reused"
            )

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None or not user.password:
            return
        from luoshi.accounts.security_models import HISTORY_KEPT, PasswordHistory

        PasswordHistory.objects.create(user_id=user.pk, password=user.password,
                                       created_at=timezone.now())  # fmt: skip
        stale = PasswordHistory.objects.filter(user_id=user.pk).values_list("pk", flat=True)[
            HISTORY_KEPT:
        ]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()

    def get_help_text(self) -> str:
        return f"不能与最近 {current_policy().history} 次使用过的密码相同"


def rules_text() -> str:
    """The password rules in force, for the help text of password forms."""
    from django.contrib.auth.password_validation import password_validators_help_texts

    return "；".join(password_validators_help_texts()) + "。"
