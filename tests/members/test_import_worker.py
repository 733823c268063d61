"""A real Celery worker (solo pool) on Redis checks and then saves a roster import job against the
test database, reading the stashed file from the same storage the web process wrote it to."""

import pytest
from django.conf import settings

from core.jobs import FileJob, JobStatus
from members.models import Member
from members.roster import jobs
from organizations.models import Role
from tests.celery_worker import require_postgres_and_redis, running_worker
from tests.factories import make_tree, make_user
from tests.members.helpers import good_rows, roster_csv

REDIS_DB = 13  # this suite's own Redis database number


def _job(user, token: str, *, dry_run: bool) -> FileJob:
    # What jobs.start_import_job creates; sent to the real worker below instead of run eagerly.
    params = {"token": token, "filename": "名册.csv", "update": False, "dry_run": dry_run}
    return FileJob.objects.create(user=user, kind=jobs.IMPORT_KIND, title="名册导入", params=params, total=3)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_checks_then_saves_an_import_job():
    require_postgres_and_redis(REDIS_DB)
    tree = make_tree()
    user = make_user("staff_a", tree["community_a"], Role.COMMUNITY_STAFF)
    token = jobs.write_stash(roster_csv(good_rows(tree["branch_a"], 5)))
    with running_worker(REDIS_DB, "import-test", DJANGO_MEDIA_ROOT=settings.MEDIA_ROOT) as client:
        check = _job(user, token, dry_run=True)
        client.send_task("members.import_roster", args=[check.pk]).get(timeout=90)
        check.refresh_from_db()
        assert check.status == JobStatus.DONE, check.error
        assert (check.params["read"], check.params["validated"]) == (5, 5) and check.params["report"]["ok"]
        assert not Member.objects.exists()

        save = _job(user, token, dry_run=False)
        client.send_task("members.import_roster", args=[save.pk]).get(timeout=90)
        save.refresh_from_db()
        assert save.status == JobStatus.DONE and save.params["saved"] == 5
        assert Member.objects.filter(branch=tree["branch_a"]).count() == 5
        assert jobs.read_stash(token) is None
