"""Small builders for the committees tests."""

import datetime
from decimal import Decimal

from committees import services
from committees.credit_code import check_character
from organizations import services as org_services
from tests.factories import MemberFactory, PositionFactory

D = datetime.date
TODAY = D(2026, 6, 15)
JAN_2020 = D(2020, 1, 1)
JAN_2024 = D(2024, 1, 1)


def valid_code(prefix17: str) -> str:
    return prefix17 + check_character(prefix17)


def compound(community, name="测试小区", kind="property_managed", branch=None):
    return org_services.compound_save(name=name, kind=kind, community=community, branch=branch)


def member(branch, name="党员", **extra):
    return MemberFactory(name=name, branch=branch, **extra)


def position(member_obj, organization, kind="secretary", started_on=JAN_2020, ended_on=None):
    return PositionFactory(
        member=member_obj, organization=organization, kind=kind, started_on=started_on, ended_on=ended_on
    )


def owners_committee(compound_obj, term=1, elected=JAN_2024, status="active", **extra):
    return services.committee_save(
        compound=compound_obj,
        kind="owners_committee",
        term_number=term,
        elected_on=elected,
        term_ends_on=elected.replace(year=elected.year + 5),
        status=status,
        **extra,
    )


_n = iter(range(10_000, 99_999))


def firm(name="物业公司", created_in=None, **extra):
    code = valid_code(f"91500108MA{next(_n):05d}XX"[:17])
    return services.property_firm_save(name=name, credit_code=code, created_in=created_in, **extra)


def contract(firm_obj, compound_obj, start=JAN_2020, end=None, fee="2.00"):
    return services.service_contract_save(
        firm=firm_obj, compound=compound_obj, started_on=start, ended_on=end, fee_per_m2_month=Decimal(fee)
    )
