"""The national code lists of a member record (全国党员信息库的基本信息项).

民族: the 56 nationalities of GB/T 3304 with their two-digit codes (the stored value) and their
romanized names as msgids (the Chinese names come from the catalogue); 学历: the national list,
with 中专 kept apart from 高中; 学位; 转正情况.
"""

from django.db import models
from django.utils.translation import pgettext_lazy

# (code, romanized name of GB/T 3304, Chinese name) in the standard's order.
NATIONALITIES = (
    ("01", "Han", "汉族"),
    ("02", "Mongol", "蒙古族"),
    ("03", "Hui", "回族"),
    ("04", "Zang", "藏族"),
    ("05", "Uygur", "维吾尔族"),
    ("06", "Miao", "苗族"),
    ("07", "Yi", "彝族"),
    ("08", "Zhuang", "壮族"),
    ("09", "Buyei", "布依族"),
    ("10", "Chosen", "朝鲜族"),
    ("11", "Man", "满族"),
    ("12", "Dong", "侗族"),
    ("13", "Yao", "瑶族"),
    ("14", "Bai", "白族"),
    ("15", "Tujia", "土家族"),
    ("16", "Hani", "哈尼族"),
    ("17", "Kazak", "哈萨克族"),
    ("18", "Dai", "傣族"),
    ("19", "Li", "黎族"),
    ("20", "Lisu", "傈僳族"),
    ("21", "Va", "佤族"),
    ("22", "She", "畲族"),
    ("23", "Gaoshan", "高山族"),
    ("24", "Lahu", "拉祜族"),
    ("25", "Sui", "水族"),
    ("26", "Dongxiang", "东乡族"),
    ("27", "Naxi", "纳西族"),
    ("28", "Jingpo", "景颇族"),
    ("29", "Kirgiz", "柯尔克孜族"),
    ("30", "Tu", "土族"),
    ("31", "Daur", "达斡尔族"),
    ("32", "Mulao", "仫佬族"),
    ("33", "Qiang", "羌族"),
    ("34", "Blang", "布朗族"),
    ("35", "Salar", "撒拉族"),
    ("36", "Maonan", "毛南族"),
    ("37", "Gelao", "仡佬族"),
    ("38", "Xibe", "锡伯族"),
    ("39", "Achang", "阿昌族"),
    ("40", "Pumi", "普米族"),
    ("41", "Tajik", "塔吉克族"),
    ("42", "Nu", "怒族"),
    ("43", "Uzbek", "乌孜别克族"),
    ("44", "Russ", "俄罗斯族"),
    ("45", "Ewenki", "鄂温克族"),
    ("46", "Deang", "德昂族"),
    ("47", "Bonan", "保安族"),
    ("48", "Yugur", "裕固族"),
    ("49", "Gin", "京族"),
    ("50", "Tatar", "塔塔尔族"),
    ("51", "Derung", "独龙族"),
    ("52", "Oroqen", "鄂伦春族"),
    ("53", "Hezhen", "赫哲族"),
    ("54", "Monba", "门巴族"),
    ("55", "Lhoba", "珞巴族"),
    ("56", "Jino", "基诺族"),
)
# The Chinese name of each code: the roster file's values (a file format, Chinese whatever the
# UI language) and what the data migration maps stored text from.
NATIONALITY_NAMES: dict[str, str] = {code: chinese for code, _name, chinese in NATIONALITIES}

Ethnicity = models.TextChoices(
    "Ethnicity",
    [(name.upper(), (code, pgettext_lazy("nationality", name))) for code, name, _chinese in NATIONALITIES],
)
Ethnicity.__doc__ = "民族 (GB/T 3304): the stored value is the two-digit code."


class Education(models.TextChoices):
    """学历, the national list (中专 is not 高中)."""

    POSTGRADUATE = "postgraduate", pgettext_lazy("education", "Postgraduate")
    BACHELOR = "bachelor", pgettext_lazy("education", "University (bachelor)")
    COLLEGE = "college", pgettext_lazy("education", "University (junior college)")
    VOCATIONAL = "vocational", pgettext_lazy("education", "Secondary vocational school")
    SENIOR = "senior", pgettext_lazy("education", "Senior secondary school")
    JUNIOR_OR_BELOW = "junior_or_below", pgettext_lazy("education", "Junior secondary or below")


class Degree(models.TextChoices):
    """学位."""

    NONE = "", pgettext_lazy("degree", "No degree")
    BACHELOR = "bachelor", pgettext_lazy("degree", "Bachelor's degree")
    MASTER = "master", pgettext_lazy("degree", "Master's degree")
    DOCTOR = "doctor", pgettext_lazy("degree", "Doctorate")


class ConversionStatus(models.TextChoices):
    """转正情况: on time, or after the one extension of the probation."""

    NONE = "", pgettext_lazy("conversion", "Not yet a full member")
    ON_TIME = "on_time", pgettext_lazy("conversion", "On time")
    EXTENDED = "extended", pgettext_lazy("conversion", "After an extended probation")
