"""Plausible national record fields (籍贯, 民族, 学历/学位, 参加工作, 入党时所在支部, 介绍人, 党员编号)
for the demo and the scale data, drawn from the places of 重庆 and its neighbours."""

from __future__ import annotations

import datetime
import random

from members.models import Degree, Education, Ethnicity

NATIVE_PLACES = [
    "重庆市南岸区",
    "重庆市巴南区",
    "重庆市江北区",
    "重庆市涪陵区",
    "重庆市万州区",
    "重庆市合川区",
    "重庆市綦江区",
    "四川省广安市",
    "四川省南充市",
    "四川省达州市",
    "贵州省遵义市",
    "湖北省恩施州",
    "湖南省常德市",
]
# Mostly 汉族; 重庆's 土家族 and 苗族 (渝东南), and a few others.
ETHNICITIES = [Ethnicity.HAN] * 18 + [Ethnicity.TUJIA, Ethnicity.MIAO, Ethnicity.HUI, Ethnicity.ZANG]
JOB_TITLES = ["科员", "教师", "主治医师", "工程师", "副科长", "会计", "办事员", "副主任"]
ADMISSION_BRANCHES = [
    "重庆钢铁公司第三党支部",
    "南岸区弹子石街道机关党支部",
    "重庆市第十一中学校教工党支部",
    "西南大学化学化工学院学生第二党支部",
    "重庆长江轮船公司船队党支部",
    "南岸区人民医院内科党支部",
]
# Education → the degree that usually goes with it.
DEGREES = {Education.POSTGRADUATE: Degree.MASTER, Education.BACHELOR: Degree.BACHELOR}


def national_fields(
    key: str,
    *,
    birth: datetime.date,
    education: str,
    in_service: bool,
    number: int,
    introducers: list[str] = (),
) -> dict:
    """The fields of one member, deterministic in ``key`` (its ID number: a re-run gives the
    same values without changing the draws of the caller's generator)."""
    rng = random.Random(key)
    started = birth.replace(year=birth.year + rng.randint(18, 24), day=1)
    fields = {
        "native_place": rng.choice(NATIVE_PLACES),
        "ethnicity": rng.choice(ETHNICITIES),
        "degree": DEGREES.get(education, Degree.NONE) if rng.random() < 0.9 else Degree.NONE,
        "work_started_on": started,
        "admission_branch_name": rng.choice(ADMISSION_BRANCHES),
        "introducer_names": "、".join(introducers),
        "party_number": f"5001{number:08d}" if rng.random() < 0.8 else "",
    }
    if in_service:
        fields["job_title"] = rng.choice(JOB_TITLES)
    return fields
