import pytest

from tests.committees.helpers import D, compound, contract, firm, owners_committee


@pytest.fixture
def two_sides(tree):
    """A compound, body, firm and matter in community A and the same in community B."""
    from committees import services

    out = {}
    for side in ("a", "b"):
        place = compound(tree[f"community_{side}"], name=f"{side.upper()}小区", branch=tree[f"branch_{side}"])
        body = owners_committee(place)
        services.seat_save(committee=body, holder_name=f"{side}主任", role="chair", started_on=D(2024, 1, 1))
        f = firm(name=f"{side.upper()}物业")
        contract(f, place)
        matter = services.matter_save(
            compound=place,
            title=f"{side}议题",
            raised_by="居民",
            raised_on=D(2024, 1, 1),
            handler="community",
            due_on=D(2024, 2, 1),
        )
        out[side] = {"compound": place, "committee": body, "firm": f, "matter": matter}
    return out
