"""Eight threads creating and moving nodes at once on PostgreSQL; the tree stays sound."""

import threading

import pytest
from django.db import close_old_connections, connection

from organizations import services
from organizations.models import Organization, OrganizationKind
from tests.factories import make_org, make_tree


@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_and_moves_keep_tree_sound():
    if connection.vendor != "postgresql":
        pytest.skip("advisory-lock concurrency is tested on PostgreSQL")
    tree = make_tree()
    communities = [tree["community_a"], tree["community_b"]]
    communities += [make_org(OrganizationKind.COMMUNITY, tree["street"]) for _ in range(2)]
    branches = [make_org(OrganizationKind.BRANCH, c) for c in communities for _ in range(2)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def worker(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            for i in range(6):
                parent = communities[(n + i) % len(communities)]
                node = services.organization_create(
                    name=f"并发支部{n}-{i}", code=f"C{n}-{i}", kind=OrganizationKind.BRANCH, parent=parent
                )
                services.organization_create(
                    name=f"并发小组{n}-{i}", code=f"G{n}-{i}", kind=OrganizationKind.GROUP, parent=node
                )
                mover = branches[(n + i) % len(branches)]
                services.organization_move(organization=mover, target=communities[(n * 3 + i) % len(communities)])
        except BaseException as exc:  # noqa: BLE001 - collected and re-raised in the main thread
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert Organization.objects.filter(code__startswith="C").count() == 48
    assert services.tree_problems() == []
    district = Organization.objects.get(pk=tree["district"].pk)
    assert district.get_descendant_count() == Organization.objects.filter(tree_id=district.tree_id).count() - 1
