"""``manage.py rotate_pii_keys``: re-encrypt every ID number and phone with the newest key.

Put the new key first in ``PII_ENCRYPTION_KEYS`` (keep the old ones after it), run this, then
remove the old keys. Batched by primary key; each batch is its own transaction, so the command
can be interrupted and run again.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from core import audit
from members import crypto
from members.models import Member


class Command(BaseCommand):
    help = "Re-encrypt personal data (ID numbers, phones) with the newest PII encryption key."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, batch_size, **options):
        last, total = 0, 0
        while True:
            with transaction.atomic():
                batch = list(
                    Member.objects.filter(pk__gt=last)
                    .order_by("pk")
                    .only("pk", "id_number_encrypted", "phone_encrypted")[:batch_size]
                )
                if not batch:
                    break
                for member in batch:
                    member.id_number_encrypted = crypto.rotate(member.id_number_encrypted)
                    member.phone_encrypted = crypto.rotate(member.phone_encrypted)
                Member.objects.bulk_update(batch, ["id_number_encrypted", "phone_encrypted"])
                audit.audit_bulk(
                    model=Member,
                    action="update",
                    count=len(batch),
                    filter={"pk__gt": last, "pk__lte": batch[-1].pk},
                    values={"id_number_encrypted": "", "phone_encrypted": ""},
                    note="rotate_pii_keys",
                )
            last, total = batch[-1].pk, total + len(batch)
        self.stdout.write(f"已用最新密钥重新加密 {total} 名党员的个人信息。")
