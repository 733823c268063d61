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
from .national import NATIONALITY_NAMES, ConversionStatus, Degree, Ethnicity
from .points import PointsEntry, PointsKind, PointsRule  # noqa: F401
from .position import Position, PositionKind
from .records import MemberEvent, MemberEventKind, SensitiveAccessAction, SensitiveAccessLog
from .transfers import (
    OPEN_TRANSFER_STATES,
    FloatingDirection,
    FloatingRecord,
    MemberStatusChange,
    Transfer,
    TransferKind,
    TransferState,
)

__all__ = [
    "NATIONALITY_NAMES",
    "ConversionStatus",
    "Degree",
    "Ethnicity",
    "Education",
    "FloatingDirection",
    "FloatingRecord",
    "MemberStatusChange",
    "OPEN_TRANSFER_STATES",
    "Transfer",
    "TransferKind",
    "TransferState",
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

from members.development.models import Candidate, CandidateStep, Stage  # noqa: F401  (发展党员)
from members.volunteering.models import (  # noqa: F401  (设岗定责 / 时间银行)
    BuildingHead,
    PairedHousehold,
    PostHolder,
    ServiceRecord,
    Volunteer,
    VolunteerPost,
)

from .dues import *  # noqa: F403  (party dues and branch funds)
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
from .portal import ActivationCode, CheckIn, CheckInStatus, MemberAccount  # noqa: F401  (党员端)
from .rollups import *  # noqa: F403  (maintained summaries)
