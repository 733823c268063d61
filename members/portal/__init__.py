"""党员端: a party member's own phone pages under ``/me/`` (accounts, organizational life,
points, dues, reporting to the compound, QR check-in). The projects app plugs its pages
(micro-wishes, dispatched requests) in through ``core.registry.register_portal_link``."""
