"""Models of the members app: party members, positions, and (later) organizational life."""

from .member import (
    Education,
    FloatingStatus,
    Gender,
    ManagementMode,
    Member,
    MemberStatus,
    OccupationStatus,
    PartyStatus,
)
from .points import PointsEntry, PointsKind, PointsRule  # noqa: F401  (issue 7)
from .position import Position, PositionKind
from .records import MemberEvent, MemberEventKind, SensitiveAccessAction, SensitiveAccessLog

__all__ = [
    "Education",
    "FloatingStatus",
    "Gender",
    "ManagementMode",
    "MemberEvent",
    "MemberEventKind",
    "SensitiveAccessAction",
    "SensitiveAccessLog",
    "Member",
    "MemberStatus",
    "OccupationStatus",
    "PartyStatus",
    "Position",
    "PositionKind",
]

from .elections import (  # noqa: F401
    AppraisalFollowUp,
    AppraisalGrade,
    AppraisalResult,
    AppraisalSession,
    Election,
    ElectionCandidate,
    ElectionMethod,
)
from .meetings import *  # noqa: F403  (organizational-life models)
