"""Reminders: the service that opens, keeps and closes them, and this app's rules (换届).

Other apps contribute rules (``@register_reminder_rule`` in their ``reminder_rules.py``); the table
is the ``organizations`` app's (``models/reminders.py``).
"""

from organizations.reminders.service import (
    ReminderRun,
    due_reminders,
    reminder_close,
    run_reminders,
    send_open_reminders,
)

__all__ = ["ReminderRun", "due_reminders", "reminder_close", "run_reminders", "send_open_reminders"]
