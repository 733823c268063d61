"""Accounts for the load profile (bench/locustfile.py) on a scale database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pb_load .venv/bin/python bench/locust_setup.py

``generate_scale_data`` builds the tree and the data but no logins. This gives the district root's
staff a login through the same service the admin and the demo use (``access_scope_set``), with the
role of the district organization department, and prints the username for ``LOCUST_USERNAME``.
Run gunicorn with ``TWO_FACTOR_ENFORCE=false`` for the run: the district role needs an authenticator
at the admin login, which a load generator cannot answer.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402

from organizations import services  # noqa: E402
from organizations.models import Organization, Role  # noqa: E402

USERNAME = os.environ.get("LOCUST_USERNAME", "load_district")
PASSWORD = os.environ.get("LOCUST_PASSWORD", "Dangjian@2026")


def main() -> None:
    roots = list(Organization.objects.filter(parent__isnull=True).order_by("pk")[:2])
    if not roots:
        raise SystemExit("no organization tree: run manage.py generate_scale_data first")
    User = get_user_model()
    user = User.objects.filter(username=USERNAME).first()
    if user is None:
        user = User.objects.create_user(USERNAME, password=PASSWORD, first_name="区委组织部 压测账号")
    services.access_scope_set(user=user, organization=roots[0], role=Role.DISTRICT_ADMIN)
    print(f"{USERNAME} / {PASSWORD}: district staff of {roots[0].name} ({len(roots)} root(s) seen)")


if __name__ == "__main__":
    main()
