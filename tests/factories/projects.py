"""Factories of the projects app: partner units, resources and needs, projects, service to residents."""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal

import factory

from tests.factories.base import ServiceFactory, new_branch, new_community, service_call
from tests.factories.organizations import CompoundFactory

DAY = _dt.date(2026, 3, 2)


class PartnerUnitFactory(ServiceFactory):
    """A 共建单位 registered by a community, through ``partner_save``."""

    class Meta:
        model = "projects.PartnerUnit"

    name = factory.Sequence(lambda n: f"区人民医院{n}")
    kind = "institution"
    registered_by = factory.LazyFunction(new_community)

    service = service_call("projects.services.partner_save")


class AgreementFactory(ServiceFactory):
    """A 共建协议 of a partner with the community that registered it, through ``agreement_save``."""

    class Meta:
        model = "projects.Agreement"

    partner = factory.SubFactory(PartnerUnitFactory)
    organization = factory.LazyAttribute(lambda o: o.partner.registered_by)
    title = factory.Sequence(lambda n: f"共建协议{n}")
    signed_on = DAY
    expires_on = DAY + _dt.timedelta(days=365)

    service = service_call("projects.services.agreement_save")


class ResourceFactory(ServiceFactory):
    """A resource a partner offers (资源清单), through ``resource_save``."""

    class Meta:
        model = "projects.Resource"

    partner = factory.SubFactory(PartnerUnitFactory)
    category = "health"
    description = "每月一次义诊"

    service = service_call("projects.services.resource_save")


class NeedFactory(ServiceFactory):
    """A need of a compound (需求清单), through ``need_save``."""

    class Meta:
        model = "projects.Need"

    compound = factory.SubFactory(CompoundFactory)
    category = "facilities"
    description = "步道破损"
    raised_on = DAY

    service = service_call("projects.services.need_save")


class ProjectFactory(ServiceFactory):
    """A project (项目清单) led by a branch, through ``project_create``."""

    class Meta:
        model = "projects.Project"

    title = factory.Sequence(lambda n: f"加装电梯{n}")
    organization = factory.LazyFunction(new_branch)
    category = "other"
    proposed_on = DAY

    service = service_call("projects.services.project_create")


class FundingFactory(ServiceFactory):
    """Money received for a project, through ``funding_add``."""

    class Meta:
        model = "projects.Funding"

    project = factory.SubFactory(ProjectFactory)
    source = "residents"
    amount = Decimal("5000")
    received_on = DAY

    service = service_call("projects.services.funding_add")


class ProgressUpdateFactory(ServiceFactory):
    """A dated progress note of a project, through ``progress_add``."""

    class Meta:
        model = "projects.ProgressUpdate"

    project = factory.SubFactory(ProjectFactory)
    date = DAY
    text = "完成居民意见征集"

    service = service_call("projects.services.progress_add")


class CompoundIntakeFactory(ServiceFactory):
    """A compound's public request intake (扫码提诉求), through ``intake_for``."""

    class Meta:
        model = "projects.CompoundIntake"

    compound = factory.SubFactory(CompoundFactory)

    @classmethod
    def service(cls, *, compound):
        from projects.services.residents import intake_for

        return intake_for(compound)


class ActivityFactory(ServiceFactory):
    """A service activity organized by a branch, through ``activity_save``."""

    class Meta:
        model = "projects.Activity"

    title = factory.Sequence(lambda n: f"义诊活动{n}")
    kind = "training"
    held_on = DAY
    organizer = factory.LazyFunction(new_branch)

    service = service_call("projects.services.activity_save")


class MicroWishFactory(ServiceFactory):
    """A resident's 微心愿 published by the compound's community, through ``wish_publish``."""

    class Meta:
        model = "projects.MicroWish"

    compound = factory.SubFactory(CompoundFactory)
    community = factory.LazyAttribute(lambda o: o.compound.community)
    resident_name = "王小明"
    content = factory.Sequence(lambda n: f"想要一个书包{n}")
    published_on = DAY

    service = service_call("projects.services.wish_publish")


class ResidentRequestFactory(ServiceFactory):
    """A resident's request (群众点单) received by the compound, through ``request_submit``."""

    class Meta:
        model = "projects.ResidentRequest"

    compound = factory.SubFactory(CompoundFactory)
    category = "environment"
    description = factory.Sequence(lambda n: f"楼道灯坏了{n}")
    resident_name = "李大姐"
    received_on = DAY

    service = service_call("projects.services.request_submit")


__all__ = [
    "ActivityFactory",
    "AgreementFactory",
    "CompoundIntakeFactory",
    "FundingFactory",
    "MicroWishFactory",
    "NeedFactory",
    "PartnerUnitFactory",
    "ProgressUpdateFactory",
    "ProjectFactory",
    "ResidentRequestFactory",
    "ResourceFactory",
]
