"""统一社会信用代码 (unified social credit code), GB 32100-2015.

18 characters from the code alphabet (digits and capital letters without I, O, Z, S, V); the
last one is a check character: with the weights 3^(i) mod 31 for positions 1..17,
``check = 31 - (Σ value × weight) mod 31`` (31 becomes 0).
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}


def normalize(code: str) -> str:
    return (code or "").strip().upper()


def check_character(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters (which must be in the alphabet)."""
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def problem(code: str) -> str | None:
    """``None`` when ``code`` is valid, else a key naming what is wrong:
    ``length``, ``characters`` or ``check``."""
    code = normalize(code)
    if len(code) != 18:
        return "length"
    if any(ch not in _VALUE for ch in code):
        return "characters"
    if check_character(code[:17]) != code[17]:
        return "check"
    return None


def is_valid(code: str) -> bool:
    return problem(code) is None
