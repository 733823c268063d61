"""Admin of organizational life: meetings, attendance, requirements."""
