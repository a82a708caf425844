"""Security headers Django does not set itself: a Content-Security-Policy with no
inline script or style, and a Permissions-Policy. (Frame denial, nosniff, referrer
policy and HSTS come from Django's own settings.)"""

from urllib.parse import urlsplit

from django.conf import settings


def content_security_policy() -> str:
    """The policy: everything from Kafo itself; map tiles from their server if set."""
    images = ["'self'", "data:"]
    if settings.KAFO_MAP_TILES:
        # "{s}" is the subdomain letter Leaflet picks: allow them all.
        parts = urlsplit(settings.KAFO_MAP_TILES.replace("{s}", "*"))
        if parts.scheme and parts.netloc:
            images.append(f"{parts.scheme}://{parts.netloc}")
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": images,
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(self), payment=()"
        )
        # What a signed-in user is shown (personal data, records of an organisation) stays
        # out of shared and browser caches, unless the view chose a policy of its own.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers.setdefault("Cache-Control", "no-store")
        return response
