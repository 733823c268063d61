"""Joint building and serving residents (共建共享, 服务群众)."""

from projects.models.partners import Agreement, Category, Need, NeedStatus, PartnerKind, PartnerUnit, Resource
from projects.models.projects import Funding, FundingSource, ProgressUpdate, Project, ProjectStatus
from projects.models.residents import CompoundIntake
from projects.models.service import (
    Activity,
    ActivityKind,
    DisputeLevel,
    MediationOutcome,
    MicroWish,
    Rating,
    RequestKind,
    RequestStatus,
    ResidentRequest,
    Triage,
    WishStatus,
)

__all__ = [
    "Activity",
    "ActivityKind",
    "Agreement",
    "Category",
    "CompoundIntake",
    "DisputeLevel",
    "Funding",
    "FundingSource",
    "MediationOutcome",
    "MicroWish",
    "Need",
    "NeedStatus",
    "PartnerKind",
    "PartnerUnit",
    "ProgressUpdate",
    "Project",
    "ProjectStatus",
    "Rating",
    "RequestKind",
    "RequestStatus",
    "ResidentRequest",
    "Resource",
    "Triage",
    "WishStatus",
]
