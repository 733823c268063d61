"""统一社会信用代码 check characters (GB 32100-2015)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from committees import credit_code, services
from committees.models import PropertyFirm

# Real codes printed on business licences (check characters recomputed by hand: the weighted
# sum of the first 17 characters mod 31, subtracted from 31).
VALID = [
    "91350100M000100Y43",  # the standard's worked example
    "91110000600037341L",
    "911100001000044477",
    "91500108MA5U3H8X29",  # demo firm
    "91500108MA60JK7L3G",  # demo firm: letter check character
]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes(code):
    assert credit_code.is_valid(code)
    assert credit_code.check_character(code[:17]) == code[17]


def test_lower_case_and_spaces_are_normalized():
    assert credit_code.is_valid(" 91350100m000100y43 ")


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("91350100M000100Y44", "check"),
        ("91350100M000100Y4", "length"),
        ("91350100M000100Y4I", "characters"),  # I is not in the alphabet
        ("91350100O000100Y43", "characters"),  # nor O
        ("", "length"),
    ],
)
def test_invalid_codes(code, problem):
    assert credit_code.problem(code) == problem


def test_weighted_sum_by_hand():
    # 91350100M000100Y4 as code values (M = 21, Y = 30), weights 3^i mod 31, recomputed here
    # independently of the module's alphabet lookup.
    values = [9, 1, 3, 5, 0, 1, 0, 0, 21, 0, 0, 0, 1, 0, 0, 30, 4]
    weights = [pow(3, i, 31) for i in range(17)]
    assert tuple(weights) == credit_code.WEIGHTS
    check = (31 - sum(v * w for v, w in zip(values, weights, strict=True)) % 31) % 31
    assert credit_code.ALPHABET[check] == "3"


@pytest.mark.django_db
def test_service_refuses_bad_check_character_in_chinese():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        services.property_firm_save(name="假物业", credit_code="91350100M000100Y44")
    message = exc.value.message_dict["credit_code"][0]
    assert "校验" in message and "“3”" in message
    assert not PropertyFirm.objects.exists()


@pytest.mark.django_db
def test_service_refuses_duplicate_code():
    services.property_firm_save(name="甲物业", credit_code="91350100M000100Y43")
    with pytest.raises(ValidationError) as exc:
        services.property_firm_save(name="乙物业", credit_code="91350100m000100y43")
    assert "credit_code" in exc.value.message_dict
    assert PropertyFirm.objects.count() == 1
