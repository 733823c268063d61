"""Helpers of the members tests."""

import datetime
import itertools

from members import crypto

_seq = itertools.count(1)


def valid_id(birth=datetime.date(1960, 5, 17), area="500108") -> str:
    return crypto.make_id_number(area, birth, next(_seq))


HEADER = ["姓名", "性别", "身份证号", "手机号", "党员类别", "入党日期", "转正日期", "职业状况", "所在支部", "党小组"]


def roster_csv(rows, header=HEADER, encoding="utf-8") -> bytes:
    lines = [",".join(header)] + [",".join(str(v) for v in r) for r in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def good_rows(branch, count, group=""):
    rows = []
    for i in range(count):
        birth = datetime.date(1940 + i % 50, 1 + i % 12, 1 + i % 28)
        rows.append(
            [
                f"成员{i}",
                "男" if i % 2 else "女",
                crypto.make_id_number("500108", birth, i % 1000),
                f"139{i:08d}",
                "正式党员",
                "1990-07-01",
                "1991-07-01",
                "离退休",
                branch.name,
                group,
            ]
        )
    return rows
