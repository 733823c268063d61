"""The member page's 党内经历: the member's whole story (``members.history``) as a read-only table."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.history import member_history


class MemberHistoryMixin:
    """Adds the read-only ``party_history`` field to the member admin."""

    @admin.display(description=gettext_lazy("History in the party"))
    def party_history(self, obj):
        if obj is None or not obj.pk:
            return ""
        entries = member_history(obj)
        if not entries:
            return _("No history recorded yet.")
        head = format_html(
            "<thead><tr><th scope='col'>{}</th><th scope='col'>{}</th><th scope='col'>{}</th></tr></thead>",
            _("Date"),
            _("Event"),
            _("Details"),
        )
        body = format_html_join(
            "", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", ((e["on"], e["title"], e["detail"]) for e in entries)
        )
        return format_html("<table class='party-history'>{}<tbody>{}</tbody></table>", head, body)
