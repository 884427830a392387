"""Settings for the test suite: the production settings with test-only speed-ups."""

from luoshi.settings import *  # noqa: F403
from luoshi.settings import STORAGES

# The manifest storage needs collectstatic; tests serve static files through the finders.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LUOSHI_DEMO = True
LUOSHI_AUDIT_STRICT = True

# Uploaded evidence goes to a throwaway folder per test run.
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="luoshi-test-media-"))
