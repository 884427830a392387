"""Helpers of the upload, download and personal-data tests (the fixture is in conftest)."""

from __future__ import annotations

from rest_framework.test import APIClient

PHONE = "13812345678"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client
