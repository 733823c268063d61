"""Branch scoring (支部标准化评分): the service, this app's metrics, the admin and the demo scores.

Other apps contribute metrics (``@register_metric`` in their ``metrics.py``); tables are the
``organizations`` app's (``models/scoring.py``).
"""

from core.periods import Period
from organizations.scoring.service import (
    ScoringResult,
    branches_for,
    compute_scores,
    ranked_scores,
    rubric_for,
    score_branches,
)

__all__ = ["Period", "ScoringResult", "branches_for", "compute_scores", "ranked_scores", "rubric_for", "score_branches"]
