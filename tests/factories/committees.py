"""Factories of the committees app: bodies and seats, vetting, elections, matters, property firms."""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal

import factory

from committees import credit_code
from tests.factories.base import ModelFactory, ServiceFactory, new_community, service_call
from tests.factories.organizations import CompoundFactory


def valid_credit_code(n: int) -> str:
    """A unified social credit code (GB 32100) with its check character."""
    first17 = f"91500108MA{n:07d}"
    return first17 + credit_code.check_character(first17)


class CommitteeFactory(ServiceFactory):
    """An owners' committee (业委会) of a compound, through ``committee_save``."""

    class Meta:
        model = "committees.Committee"

    compound = factory.SubFactory(CompoundFactory)
    kind = "owners_committee"
    term_number = factory.Sequence(lambda n: n + 1)
    elected_on = _dt.date(2024, 6, 18)
    term_ends_on = _dt.date(2029, 6, 17)
    status = "active"

    service = service_call("committees.services.committee_save")


class SeatFactory(ServiceFactory):
    """A seat of a body held by a resident who is not a party member, through ``seat_save``."""

    class Meta:
        model = "committees.Seat"

    committee = factory.SubFactory(CommitteeFactory)
    role = "member"
    holder_name = factory.Faker("name", locale="zh_CN")
    started_on = _dt.date(2024, 6, 18)

    service = service_call("committees.services.seat_save")


class NegativeListItemFactory(ModelFactory):
    """An item of the candidates' 负面清单 (admin reference data)."""

    class Meta:
        model = "committees.NegativeListItem"

    code = factory.Sequence(lambda n: f"TF{n:02d}")
    reason = "拖欠物业服务费或专项维修资金"
    legal_basis = "《重庆市物业管理条例》"


class CandidateCheckFactory(ServiceFactory):
    """A candidate's 资格审查 against the negative list, through ``candidate_check_record``."""

    class Meta:
        model = "committees.CandidateCheck"

    compound = factory.SubFactory(CompoundFactory)
    candidate_name = factory.Faker("name", locale="zh_CN")
    checked_on = _dt.date(2026, 2, 1)
    matched_items = factory.LazyFunction(list)

    service = service_call("committees.services.candidate_check_record")


class CommitteeElectionFactory(ServiceFactory):
    """A body's 换届选举 (3 seats, 4 candidates), through ``committee_election_record``."""

    class Meta:
        model = "committees.CommitteeElection"

    compound = factory.SubFactory(CompoundFactory)
    kind = "owners_committee"
    term_number = factory.Sequence(lambda n: n + 1)
    held_on = _dt.date(2026, 5, 10)

    @classmethod
    def service(cls, **fields):
        from committees.elections import BodyCandidate, committee_election_record

        return committee_election_record(
            method="competitive",
            seats=3,
            voters_entitled=400,
            voters_present=300,
            candidates=[
                BodyCandidate(name="张主任", votes=260, role="chair"),
                BodyCandidate(name="李委员", votes=240, role="member"),
                BodyCandidate(name="王委员", votes=200, role="member"),
                BodyCandidate(name="赵候选", votes=90),
            ],
            **fields,
        )


class CommitteeElectionCandidateFactory(ServiceFactory):
    """A candidate of a body's election, recorded with it."""

    class Meta:
        model = "committees.CommitteeElectionCandidate"

    election = factory.SubFactory(CommitteeElectionFactory)

    @classmethod
    def service(cls, *, election):
        return election.candidates.order_by("pk").first()


class MatterFactory(ServiceFactory):
    """A matter raised at a compound (议事), through ``matter_save``."""

    class Meta:
        model = "committees.Matter"

    compound = factory.SubFactory(CompoundFactory)
    title = factory.Sequence(lambda n: f"楼道杂物清理{n}")
    raised_by = "居民 张阿姨"
    raised_on = _dt.date(2026, 2, 1)
    handler = "community"
    today = _dt.date(2026, 2, 2)

    service = service_call("committees.services.matter_save")


class PropertyFirmFactory(ServiceFactory):
    """A property firm with a valid credit code, through ``property_firm_save``."""

    class Meta:
        model = "committees.PropertyFirm"

    name = factory.Sequence(lambda n: f"重庆测试物业服务有限公司{n}")
    credit_code = factory.Sequence(valid_credit_code)
    created_in = factory.LazyFunction(new_community)

    service = service_call("committees.services.property_firm_save")


class ServiceContractFactory(ServiceFactory):
    """A firm's contract for a compound from 2020, through ``service_contract_save``."""

    class Meta:
        model = "committees.ServiceContract"

    firm = factory.SubFactory(PropertyFirmFactory)
    compound = factory.SubFactory(CompoundFactory)
    started_on = _dt.date(2020, 1, 1)
    fee_per_m2_month = Decimal("1.80")

    service = service_call("committees.services.service_contract_save")


class FeeCollectionFactory(ServiceFactory):
    """A month's property fee collection of a contracted firm, through ``fee_collection_save``."""

    class Meta:
        model = "committees.FeeCollection"

    contract = factory.SubFactory(ServiceContractFactory)
    year = 2026
    month = 1
    amount_due = Decimal("96000")
    amount_collected = Decimal("82000")

    @classmethod
    def service(cls, *, contract, **fields):
        from committees.services import fee_collection_save

        return fee_collection_save(compound=contract.compound, firm=contract.firm, **fields)


class EvaluationFactory(ServiceFactory):
    """A quarter's evaluation of a contracted firm by the branch, through ``evaluation_save``."""

    class Meta:
        model = "committees.Evaluation"

    contract = factory.SubFactory(ServiceContractFactory)
    year = 2026
    quarter = 1
    evaluator_kind = "branch"
    score_service = 20
    score_environment = 16
    score_security = 17
    score_maintenance = 15
    score_responsiveness = 12

    @classmethod
    def service(cls, *, contract, **fields):
        from committees.services import evaluation_save

        return evaluation_save(compound=contract.compound, firm=contract.firm, **fields)


__all__ = [
    "CandidateCheckFactory",
    "CommitteeElectionCandidateFactory",
    "CommitteeElectionFactory",
    "CommitteeFactory",
    "EvaluationFactory",
    "FeeCollectionFactory",
    "MatterFactory",
    "NegativeListItemFactory",
    "PropertyFirmFactory",
    "SeatFactory",
    "ServiceContractFactory",
    "valid_credit_code",
]
