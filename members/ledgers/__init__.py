"""Printable ledgers (台账) of a branch for a year: a cover with the branch's figures, the
组织生活台账 (every meeting with its attendance, minutes, resolutions and photos) and the 党员名册,
as PDF (WeasyPrint, imported only when a PDF is asked for) or Word (python-docx).

The sections come from ``core.registry.ledger_sections()``: this app registers the cover, the
meeting ledger and the roster in ``members/contributions.py``; another app (dues) adds its own
section the same way. Everything is read through ``for_user`` of the user who asked, so a ledger
never shows a meeting or a name outside that user's scope, and personal data is masked as the
user sees it elsewhere.
"""
