"""A real Celery worker (solo pool) on Redis runs the scoring task against the test database."""

import pytest

from organizations.models import BranchScore
from tests.celery_worker import require_postgres_and_redis, running_worker
from tests.scoring.conftest import Q3, build_world

REDIS_DB = 5  # this suite's own Redis database number


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_scores_branches():
    require_postgres_and_redis(REDIS_DB)
    world = build_world()
    with running_worker(REDIS_DB, "scoring-test") as client:
        result = client.send_task("organizations.score_branches", kwargs={"period": Q3})
        assert result.get(timeout=90) == {"period": Q3, "branches": 2, "removed": 0}
        score = BranchScore.objects.get(branch=world["branch_a"], period=Q3)
        assert str(score.total) == "58.9"  # the hand numbers of test_scoring.EXPECTED
        assert BranchScore.objects.filter(period=Q3).count() == 2
