"""Everything the committees app plugs into the platform (imported once by ``core.registry.discover``).

Scoring metrics, reminder rules and the statistics block are declared where they are defined
(``metrics.py``, ``reminder_rules.py``, ``statistics.py``) and registered by importing them here.
"""

from committees import metrics, quality, reminder_rules, statistics  # noqa: F401
from committees.demo import scale, seed
from core import registry
from core.audit.registry import register_archive_rule, register_audited_app

registry.register_domain_app("committees")

registry.feature_on_dashboard("cards", **{"governance.formation_rate": 50})

registry.register_demo_seeder(seed.seed, order=300)
registry.register_scale_generator(scale.generate, order=300)

# --- what the audit trail covers, and role duties (core.audit.registry, core.auth.roles) ---

register_audited_app("committees")
register_archive_rule("committees.committee", "status", lambda v: v == "dissolved")

# 数据质量: compounds without an owners' committee, expired property contracts.
quality.register()
