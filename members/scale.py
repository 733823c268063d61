"""Scale data of this part (filled in by its issue)."""

from organizations.hooks import ScaleContext


def generate(ctx: ScaleContext) -> None:
    """Nothing yet."""


generate.DEFAULTS = {}
