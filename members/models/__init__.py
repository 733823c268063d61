"""Models of the members app: party members, positions, and (later) organizational life."""

from .member import (
    Education,
    FloatingStatus,
    Gender,
    Member,
    MemberStatus,
    OccupationStatus,
    PartyStatus,
)
from .position import Position, PositionKind

__all__ = [
    "Education",
    "FloatingStatus",
    "Gender",
    "Member",
    "MemberStatus",
    "OccupationStatus",
    "PartyStatus",
    "Position",
    "PositionKind",
]

from .meetings import *  # noqa: E402,F403  (organizational-life models)
