"""Models of the committees app: self-governance bodies, property firms, three-party matters."""

from .bodies import (
    CandidateCheck,
    Committee,
    CommitteeKind,
    CommitteeStatus,
    NegativeListItem,
    Seat,
    SeatRole,
)
from .elections import CommitteeElection, CommitteeElectionCandidate
from .matters import Matter, MatterHandler, MatterSource, MatterStatus
from .property import (
    Evaluation,
    EvaluatorKind,
    FeeCollection,
    PropertyFirm,
    ServiceContract,
)

__all__ = [
    "CandidateCheck",
    "Committee",
    "CommitteeElection",
    "CommitteeElectionCandidate",
    "CommitteeKind",
    "CommitteeStatus",
    "Evaluation",
    "EvaluatorKind",
    "FeeCollection",
    "Matter",
    "MatterHandler",
    "MatterSource",
    "MatterStatus",
    "NegativeListItem",
    "PropertyFirm",
    "Seat",
    "SeatRole",
    "ServiceContract",
]
