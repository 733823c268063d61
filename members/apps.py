from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    """Party members, positions and organizational life (meetings, attendance, compliance)."""

    name = "members"
    verbose_name = _("Party members")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from organizations.files import register_file_field
        from organizations.registry import CumulativeCount, register_cumulative_count

        # Meeting photos and attachments are served only to users who see the meeting.
        register_file_field(
            "members.MeetingAttachment",
            "file",
            prefix="meetings/",
            name_field="original_name",
            type_field="content_type",
        )

        register_cumulative_count(
            CumulativeCount(
                attr="member_count",
                model="members.Member",
                path="branch",
                label=_("Member count"),
                filters={"status": "active"},
            )
        )

        # Organizational life (issue 4): secretaries record and edit their branch's meetings.
        from organizations.registry import grant_role_permissions

        grant_role_permissions(
            "branch_secretary",
            *(
                f"members.{action}_{model}"
                for action in ("add", "change")
                for model in (
                    "meeting",
                    "attendance",
                    "meetingresolution",
                    "meetingguest",
                    "meetingattachment",
                    "calendartoken",
                )
            ),
        )
