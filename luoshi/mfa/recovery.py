"""Recovery codes: generated at random, shown once, stored as password hashes.

A code is 10 characters from an alphabet without look-alikes (0/o, 1/l/i), about 49
random bits, shown as ``abcde-fghjk``; typing it with spaces, dashes or capitals works."""

from __future__ import annotations

import secrets

from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, get_hasher

COUNT = 10
LENGTH = 10
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
# The codes are random, not chosen by people, so they need far less stretching than a
# password; the default 1,000,000 PBKDF2 rounds would make checking ten of them take
# seconds on every attempt.
PBKDF2_ITERATIONS = 20_000


def generate() -> list[str]:
    codes = []
    for _ in range(COUNT):
        raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def normalise(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch not in " -\t")


def looks_like_code(code: str) -> bool:
    plain = normalise(code)
    return len(plain) == LENGTH and all(ch in ALPHABET for ch in plain)


def make_hash(code: str) -> str:
    """A salted hash of the normalised code with the configured password hasher."""
    plain = normalise(code)
    hasher = get_hasher("default")
    if isinstance(hasher, PBKDF2PasswordHasher):
        return hasher.encode(plain, hasher.salt(), iterations=PBKDF2_ITERATIONS)
    return hasher.encode(plain, hasher.salt())


def matches(code: str, code_hash: str) -> bool:
    return check_password(normalise(code), code_hash)
