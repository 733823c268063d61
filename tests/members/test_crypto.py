import base64
import datetime

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from core import notify
from core.models import Delivery
from members import crypto
from members.models import Member
from tests.factories import RosterMemberFactory


def test_gb11643_check_digit_and_birth_date():
    assert crypto.id_number_errors("11010519491231002X") == []
    assert crypto.id_number_errors("110105194912310021")  # wrong check digit
    assert crypto.id_number_errors("11010519491331002X")  # month 13
    assert crypto.id_number_errors("1101051949123100")  # too short
    good = crypto.make_id_number("500108", datetime.date(1970, 2, 28), 12)
    assert crypto.id_number_errors(good, datetime.date(1970, 2, 28)) == []
    assert crypto.id_number_errors(good, datetime.date(1970, 3, 1))  # birth date mismatch
    with pytest.raises(ValidationError) as exc:
        crypto.validate_id_number("110105194912310021")
    assert "id_number" in exc.value.message_dict


def test_mobile_validation_and_masks():
    assert crypto.validate_mobile("+86 138-1234-5678") == "13812345678"
    with pytest.raises(ValidationError):
        crypto.validate_mobile("12812345678")
    assert crypto.mask_id_number("110101199003071234") == "110***********1234"
    assert crypto.mask_phone("13812345678") == "138****5678"


def test_encrypt_many_tokens_are_v2_and_keyed_hash_is_stable():
    tokens = crypto.encrypt_many(["110101199003071234", "", "13812345678"])
    assert tokens[0].startswith("v2:") and tokens[1] == "" and tokens[2].startswith("v2:")
    assert [crypto.decrypt(t) for t in tokens] == ["110101199003071234", "", "13812345678"]
    assert crypto.encrypt("13812345678") != crypto.encrypt("13812345678")  # a fresh nonce each time
    assert crypto.keyed_hash("x") == crypto.keyed_hash("x") != crypto.keyed_hash("y")


def test_fernet_tokens_written_before_still_decrypt_and_rotate_to_v2(settings):
    legacy = Fernet(settings.PII_ENCRYPTION_KEYS[0]).encrypt(b"110101199003071234").decode()
    assert crypto.decrypt(legacy) == "110101199003071234"
    new_key = Fernet.generate_key().decode()
    settings.PII_ENCRYPTION_KEYS = [new_key, *settings.PII_ENCRYPTION_KEYS]
    rotated = crypto.rotate(legacy)
    assert rotated.startswith("v2:")
    settings.PII_ENCRYPTION_KEYS = [new_key]
    assert crypto.decrypt(rotated) == "110101199003071234"
    with pytest.raises(ValueError):
        crypto.decrypt(legacy)  # its key is gone


def test_v2_tokens_are_authenticated_and_bound_to_their_key(settings):
    token = crypto.encrypt("13812345678")
    body = bytearray(base64.urlsafe_b64decode(token[3:]))
    body[-1] ^= 1
    for forged in ("v2:" + base64.urlsafe_b64encode(bytes(body)).decode(), "v2:!!", "v2:", "gAAAAA-not-a-token"):
        with pytest.raises(ValueError):
            crypto.decrypt(forged)
    # An older key after a newer one still opens its tokens; a token of an unknown key fails.
    old_keys = list(settings.PII_ENCRYPTION_KEYS)
    settings.PII_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *old_keys]
    assert crypto.decrypt(token) == "13812345678"
    settings.PII_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ValueError):
        crypto.decrypt(token)


@pytest.mark.django_db
def test_no_plaintext_in_raw_select(tree):
    member = RosterMemberFactory(branch=tree["branch_a"], phone="13812345678")
    plain = crypto.decrypt(member.id_number_encrypted)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM members_member")
        dump = repr(cursor.fetchall())
    assert plain not in dump
    assert "13812345678" not in dump
    assert member.id_number_masked in dump  # only the masked form is readable


@pytest.mark.django_db
def test_key_rotation(tree, settings):
    member = RosterMemberFactory(branch=tree["branch_a"], phone="13812345678")
    notify.queue(channel="sms", address="13900000000", subject="提醒", body="换届")
    plain = crypto.decrypt(member.id_number_encrypted)
    # A row still holding a token of the earlier format (Fernet) rotates like the others.
    legacy = Fernet(settings.PII_ENCRYPTION_KEYS[0]).encrypt(b"13812345678").decode()
    Member.objects.filter(pk=member.pk).update(phone_encrypted=legacy)
    new_key = Fernet.generate_key().decode()
    settings.PII_ENCRYPTION_KEYS = [new_key, *settings.PII_ENCRYPTION_KEYS]
    call_command("rotate_pii_keys")
    settings.PII_ENCRYPTION_KEYS = [new_key]  # the old key is gone
    member = Member.objects.get(pk=member.pk)
    assert crypto.decrypt(member.id_number_encrypted) == plain
    assert crypto.decrypt(member.phone_encrypted) == "13812345678"
    assert member.phone_encrypted.startswith("v2:") and member.id_number_encrypted.startswith("v2:")
    delivery = Delivery.objects.get()
    assert crypto.decrypt(delivery.address) == "13900000000"
