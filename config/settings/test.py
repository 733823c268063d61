"""Test settings: the base settings with fast password hashing and quiet logging.

PostgreSQL when ``DATABASE_URL`` is set (always in CI), else SQLite.
"""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING["root"]["level"] = "WARNING"
CELERY_TASK_ALWAYS_EAGER = True
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_CLASSES": [],
    # No stats throttling in tests unless a test sets a rate (tests/stats/test_api_features.py).
    "DEFAULT_THROTTLE_RATES": {**REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "stats": None},
}
MEDIA_ROOT = BASE_DIR / ".test-media"
# The stack tests run collectstatic into STATIC_ROOT for gunicorn; the in-process test client
# must not scan that folder while a subprocess rewrites it.
STATIC_ROOT = BASE_DIR / ".test-static"
# Tests of other features log staff in with a password alone; tests/security/test_two_factor.py
# (and the production settings) turn the second factor on.
TWO_FACTOR_ENFORCE = False
