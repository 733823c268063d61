"""The platform layer: infrastructure every domain app stands on (middleware, request context,
cache, locks, notifications, API and admin building blocks, the registry of contributions,
periods, the xlsx writer, the audit trail, authentication and health probes). It never imports a
domain app; the domain apps plug into it."""
