"""The generic endpoint checks applied to the organizations app's endpoints."""

from organizations.models import Building, Compound, Organization, OrganizationKind, Venue
from tests.api_mixins import APIEndpointChecks
from tests.factories import BuildingFactory, CompoundFactory, OrganizationFactory, VenueFactory, make_org
from tests.stats.conftest import make_compound


def _community(tree, inside):
    return tree["community_a" if inside else "community_b"]


def _branch(tree, inside):
    return tree["branch_a" if inside else "branch_b"]


class TestOrganizations(APIEndpointChecks):
    url = "/api/v1/organizations/"
    model = Organization
    factory = OrganizationFactory

    def factory_fields(self, tree, inside):
        return {
            "kind": OrganizationKind.BRANCH,
            "parent": _community(tree, inside),
            "name": "幸福里小区党支部",
            "code": "T990001",
            "formation": "standalone",
        }

    def make(self, tree, inside, n):
        return make_org(OrganizationKind.BRANCH, _community(tree, inside))


class TestCompounds(APIEndpointChecks):
    url = "/api/v1/compounds/"
    model = Compound
    factory = CompoundFactory

    def factory_fields(self, tree, inside):
        return {"community": _community(tree, inside)}

    def make(self, tree, inside, n):
        return make_compound(_community(tree, inside), name=f"小区{n}")


class TestBuildings(APIEndpointChecks):
    url = "/api/v1/buildings/"
    model = Building
    factory = BuildingFactory

    def factory_fields(self, tree, inside):
        community = _community(tree, inside)
        return {"compound": Compound.objects.filter(community=community).first() or make_compound(community)}

    def make(self, tree, inside, n):
        compound = Compound.objects.filter(community=_community(tree, inside)).first() or make_compound(
            _community(tree, inside)
        )
        return Building.objects.create(compound=compound, name=f"{n}栋")


class TestVenues(APIEndpointChecks):
    url = "/api/v1/venues/"
    model = Venue
    factory = VenueFactory

    def factory_fields(self, tree, inside):
        return {"branch": _branch(tree, inside)}

    def make(self, tree, inside, n):
        return Venue.objects.create(branch=_branch(tree, inside), name=f"驿站{n}")
