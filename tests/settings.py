"""Production settings, with what a test run needs on top."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
# The test client speaks plain HTTP.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

from archive.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the app folders: tests do not run collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Caching on, as in production, so that the suite shows it never serves stale data.
ARCHIVE_CACHE_SECONDS = 300
