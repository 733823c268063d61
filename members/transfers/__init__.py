"""组织关系转接, 流动党员 and the member's standing: services (``services``, ``floating``,
``status``), admin, API, statistics and reminder rules. Plugged in by ``members.contributions``."""
