"""Content-Security-Policy and Permissions-Policy on every response.

Django's own middleware sends the other security headers: SecurityMiddleware sends
HSTS (only over https and only with LUOSHI_HTTPS), ``X-Content-Type-Options``,
``Referrer-Policy`` and ``Cross-Origin-Opener-Policy``; XFrameOptionsMiddleware sends
``X-Frame-Options``. Django 5.2 has no CSP support, hence this module.

The policy allows no inline script, no ``eval`` and no inline style anywhere in the
application: the pages load their scripts and styles from files under /static/, and
values that vary per row (a Gantt bar's position) travel in ``data-`` attributes that
luoshi.js applies through the CSSOM, which CSP does not govern. A view that cannot live
with that (the Swagger UI of a third-party package) widens the policy for its own
response only, through :func:`csp_extend`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Directive → sources. Everything comes from this server: government intranets have no
# internet, so there is no CDN to allow.
POLICY: Mapping[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    # data: for images inlined as data URLs (Swagger UI's icons).
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "object-src": ("'none'",),
    "base-uri": ("'none'",),
    "form-action": ("'self'",),
    "frame-ancestors": ("'none'",),
}

# Browser features no page of Luoshi uses; a page injected into it cannot use them either.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)

# Set on a response by csp_extend(), read by the middleware.
_EXTRA_ATTR = "_luoshi_csp_extra"


def render_policy(extra: Mapping[str, Iterable[str]] | None = None) -> str:
    directives = {name: list(sources) for name, sources in POLICY.items()}
    for name, sources in (extra or {}).items():
        kept = directives.setdefault(name, [])
        kept.extend(s for s in sources if s not in kept)
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def csp_extend(response: HttpResponse, **directives: Iterable[str]) -> HttpResponse:
    """Widen the policy for this response only: ``csp_extend(r, style_src=["'unsafe-inline'"])``."""
    extra = getattr(response, _EXTRA_ATTR, {})
    for key, sources in directives.items():
        extra.setdefault(key.replace("_", "-"), []).extend(sources)
    setattr(response, _EXTRA_ATTR, extra)
    return response


class SecurityHeadersMiddleware:
    """Adds the headers to every response, static files and error pages included."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            extra = getattr(response, _EXTRA_ATTR, None)
            response["Content-Security-Policy"] = render_policy(extra)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # Static files leave through WhiteNoise before XFrameOptionsMiddleware sees them.
        if not getattr(response, "xframe_options_exempt", False):
            response.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        # No other site may load our responses as its images, scripts or styles.
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
