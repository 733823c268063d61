"""Infrastructure below every domain app: audit trail, authentication (lockout, 2FA, tokens),
health probes. Never imports a domain app (organizations, members, committees, projects):
domain apps declare their contributions here (see ``core.audit.registry``)."""
