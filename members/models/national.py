"""The national code lists of a member record (全国党员信息库的基本信息项).

民族: the 56 nationalities of GB/T 3304 with their two-digit codes (the stored value) and their
romanized names as msgids (the Chinese names come from the catalogue); 学历: the national list,
with 中专 kept apart from 高中; 学位; 转正情况.
"""

from django.db import models
from django.utils.translation import pgettext_lazy

# (code, enum name, romanized name of GB/T 3304 as the msgid, Chinese name) in the standard's order.
NATIONALITIES = (
    ("01", "HAN", pgettext_lazy("nationality", "Han"), "汉族"),
    ("02", "MONGOL", pgettext_lazy("nationality", "Mongol"), "蒙古族"),
    ("03", "HUI", pgettext_lazy("nationality", "Hui"), "回族"),
    ("04", "ZANG", pgettext_lazy("nationality", "Zang"), "藏族"),
    ("05", "UYGUR", pgettext_lazy("nationality", "Uygur"), "维吾尔族"),
    ("06", "MIAO", pgettext_lazy("nationality", "Miao"), "苗族"),
    ("07", "YI", pgettext_lazy("nationality", "Yi"), "彝族"),
    ("08", "ZHUANG", pgettext_lazy("nationality", "Zhuang"), "壮族"),
    ("09", "BUYEI", pgettext_lazy("nationality", "Buyei"), "布依族"),
    ("10", "CHOSEN", pgettext_lazy("nationality", "Chosen"), "朝鲜族"),
    ("11", "MAN", pgettext_lazy("nationality", "Man"), "满族"),
    ("12", "DONG", pgettext_lazy("nationality", "Dong"), "侗族"),
    ("13", "YAO", pgettext_lazy("nationality", "Yao"), "瑶族"),
    ("14", "BAI", pgettext_lazy("nationality", "Bai"), "白族"),
    ("15", "TUJIA", pgettext_lazy("nationality", "Tujia"), "土家族"),
    ("16", "HANI", pgettext_lazy("nationality", "Hani"), "哈尼族"),
    ("17", "KAZAK", pgettext_lazy("nationality", "Kazak"), "哈萨克族"),
    ("18", "DAI", pgettext_lazy("nationality", "Dai"), "傣族"),
    ("19", "LI", pgettext_lazy("nationality", "Li"), "黎族"),
    ("20", "LISU", pgettext_lazy("nationality", "Lisu"), "傈僳族"),
    ("21", "VA", pgettext_lazy("nationality", "Va"), "佤族"),
    ("22", "SHE", pgettext_lazy("nationality", "She"), "畲族"),
    ("23", "GAOSHAN", pgettext_lazy("nationality", "Gaoshan"), "高山族"),
    ("24", "LAHU", pgettext_lazy("nationality", "Lahu"), "拉祜族"),
    ("25", "SUI", pgettext_lazy("nationality", "Sui"), "水族"),
    ("26", "DONGXIANG", pgettext_lazy("nationality", "Dongxiang"), "东乡族"),
    ("27", "NAXI", pgettext_lazy("nationality", "Naxi"), "纳西族"),
    ("28", "JINGPO", pgettext_lazy("nationality", "Jingpo"), "景颇族"),
    ("29", "KIRGIZ", pgettext_lazy("nationality", "Kirgiz"), "柯尔克孜族"),
    ("30", "TU", pgettext_lazy("nationality", "Tu"), "土族"),
    ("31", "DAUR", pgettext_lazy("nationality", "Daur"), "达斡尔族"),
    ("32", "MULAO", pgettext_lazy("nationality", "Mulao"), "仫佬族"),
    ("33", "QIANG", pgettext_lazy("nationality", "Qiang"), "羌族"),
    ("34", "BLANG", pgettext_lazy("nationality", "Blang"), "布朗族"),
    ("35", "SALAR", pgettext_lazy("nationality", "Salar"), "撒拉族"),
    ("36", "MAONAN", pgettext_lazy("nationality", "Maonan"), "毛南族"),
    ("37", "GELAO", pgettext_lazy("nationality", "Gelao"), "仡佬族"),
    ("38", "XIBE", pgettext_lazy("nationality", "Xibe"), "锡伯族"),
    ("39", "ACHANG", pgettext_lazy("nationality", "Achang"), "阿昌族"),
    ("40", "PUMI", pgettext_lazy("nationality", "Pumi"), "普米族"),
    ("41", "TAJIK", pgettext_lazy("nationality", "Tajik"), "塔吉克族"),
    ("42", "NU", pgettext_lazy("nationality", "Nu"), "怒族"),
    ("43", "UZBEK", pgettext_lazy("nationality", "Uzbek"), "乌孜别克族"),
    ("44", "RUSS", pgettext_lazy("nationality", "Russ"), "俄罗斯族"),
    ("45", "EWENKI", pgettext_lazy("nationality", "Ewenki"), "鄂温克族"),
    ("46", "DEANG", pgettext_lazy("nationality", "Deang"), "德昂族"),
    ("47", "BONAN", pgettext_lazy("nationality", "Bonan"), "保安族"),
    ("48", "YUGUR", pgettext_lazy("nationality", "Yugur"), "裕固族"),
    ("49", "GIN", pgettext_lazy("nationality", "Gin"), "京族"),
    ("50", "TATAR", pgettext_lazy("nationality", "Tatar"), "塔塔尔族"),
    ("51", "DERUNG", pgettext_lazy("nationality", "Derung"), "独龙族"),
    ("52", "OROQEN", pgettext_lazy("nationality", "Oroqen"), "鄂伦春族"),
    ("53", "HEZHEN", pgettext_lazy("nationality", "Hezhen"), "赫哲族"),
    ("54", "MONBA", pgettext_lazy("nationality", "Monba"), "门巴族"),
    ("55", "LHOBA", pgettext_lazy("nationality", "Lhoba"), "珞巴族"),
    ("56", "JINO", pgettext_lazy("nationality", "Jino"), "基诺族"),
)
# The Chinese name of each code: the roster file's values (a file format, Chinese whatever the
# UI language) and what the data migration maps stored text from.
NATIONALITY_NAMES: dict[str, str] = {code: chinese for code, _name, _label, chinese in NATIONALITIES}

Ethnicity = models.TextChoices(
    "Ethnicity",
    [(name, (code, label)) for code, name, label, _chinese in NATIONALITIES],
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
