"""The Swagger UI at /api/docs/ under the application's Content-Security-Policy.

drf-spectacular's default view puts its start-up script and a few style rules inline,
which the policy forbids. The split view serves the script from its own URL
(``/api/docs/?script``, same origin, so ``script-src 'self'`` admits it) and our
template replaces the inline ``<style>`` with a static file, so this page needs no
``'unsafe-inline'`` either.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.request import Request
from rest_framework.response import Response


class ApiDocsView(SpectacularSwaggerSplitView):
    template_name = "core/swagger_ui.html"

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().get(request, *args, **kwargs)
        # The package loosens the opener policy for OAuth2 pop-ups; Luoshi has none.
        if "Cross-Origin-Opener-Policy" in response:
            del response["Cross-Origin-Opener-Policy"]
        return response
