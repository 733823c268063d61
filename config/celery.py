"""The Celery application.

With ``REDIS_URL`` unset (the embedded default) tasks run eagerly in-process, so a fresh
laptop needs no broker; in production the broker and result backend are Redis.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("partybuilding")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The drill task lives outside ``tasks.py`` (core.health).
app.autodiscover_tasks(["core"], related_name="health")
