"""How addresses appear in delivery records: enough to tell them apart, not enough to use.

Core cannot use the domain's mask functions (organizations.masks sits above it), so the rule is
the same "keep the ends" one applied here to addresses that are not personal data fields."""

from __future__ import annotations


def _keep_ends(value: str, head: int, tail: int) -> str:
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]


def mask_address(address: str) -> str:
    """``13812345678`` → ``138****5678``; ``li@example.org`` → ``l*@example.org``; a URL or robot
    key keeps only its first and last characters (the key is a secret)."""
    address = address or ""
    if "@" in address and "://" not in address:
        local, _, domain = address.partition("@")
        return (local[:1] + "*" * max(len(local) - 1, 1)) + "@" + domain
    if address.isdigit() or address.startswith("+"):
        return _keep_ends(address, 3, 4)
    if "://" in address:
        scheme, _, rest = address.partition("://")
        host = rest.split("/", 1)[0].split("?", 1)[0]
        return f"{scheme}://{host}/…"
    return _keep_ends(address, 2, 2)
