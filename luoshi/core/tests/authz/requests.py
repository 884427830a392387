"""Building a concrete URL for an endpoint and sending one request to it."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.http import HttpResponseBase
from django.test import Client

from luoshi.core.tests.authz.catalogue import Op
from luoshi.core.tests.authz.world import World


def owners_of(world: World, kind: str | None) -> list[str]:
    return sorted(owner for k, owner in world.objects if k == kind)


def url_for(op: Op, world: World, owner: str = "") -> str:
    """The op's URL with its object of ``owner`` (else the first one the world has), or 1
    when the world holds no object of that kind."""
    owners = owners_of(world, op.kind)
    if op.kind is None or not owners:
        return op.url()
    return op.url(world.pk(op.kind, owner or owners[0]))


def send(
    client: Client,
    method: str,
    url: str,
    *,
    api: bool,
    data: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponseBase:
    if method == "GET":
        return client.get(url, headers=headers)
    if api:
        body = json.dumps(data or {})
        return client.generic(method, url, body, content_type="application/json", headers=headers)
    # Form-encoded as a browser posts a form without files (the views read request.POST
    # either way): the long body costs a tenth of multipart's encoding and parsing.
    return client.post(
        url,
        urlencode(data or {}, doseq=True),
        content_type="application/x-www-form-urlencoded",
        headers=headers,
    )
