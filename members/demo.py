"""Demo data of this part (filled in by its issue)."""

from organizations.hooks import DemoContext


def seed(ctx: DemoContext) -> None:
    """Nothing yet."""
