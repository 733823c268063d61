"""Everything the committees app plugs into the platform (imported once by ``core.registry.discover``).

Scoring metrics, reminder rules and the statistics block are declared where they are defined
(``metrics.py``, ``reminder_rules.py``, ``statistics.py``) and registered by importing them here.
"""

from committees import metrics, reminder_rules, statistics  # noqa: F401
from committees.demo import scale, seed
from committees.models import CommitteeStatus
from core import registry

registry.register_domain_app("committees")
registry.register_archive_rule("committees.committee", "status", lambda v: v == CommitteeStatus.DISSOLVED)

registry.feature_on_dashboard("cards", **{"governance.formation_rate": 50})

registry.register_demo_seeder(seed.seed, order=300)
registry.register_scale_generator(scale.generate, order=300)
