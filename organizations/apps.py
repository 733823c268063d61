from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    """Organization tree, compounds, scope and the registries every other app plugs into."""

    name = "organizations"
    verbose_name = _("Party organizations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from organizations.registry import CumulativeCount, register_cumulative_count

        register_cumulative_count(
            CumulativeCount(
                attr="compound_count",
                model="organizations.Compound",
                path="community",
                label=_("Compounds"),
            )
        )
        # Statistics blocks: this app's, then every app's ``statistics.py`` (registered on import).
        from organizations.statistics import autodiscover_statistics, register_builtin_blocks

        register_builtin_blocks()
        autodiscover_statistics()

        from django.contrib.auth.signals import user_logged_in

        from organizations.middleware import mark_session_start

        user_logged_in.connect(mark_session_start, dispatch_uid="session_start_stamp")
