"""Organizational life (组织生活): meetings, attendance and meeting requirements."""

__all__: list[str] = []
