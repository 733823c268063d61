"""Residents' names are shown masked outside the record itself: 张三丰 → 张**, 王五 → 王*."""


def mask_name(name: str) -> str:
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    return name[0] + "*" * (len(name) - 1)
