"""``manage.py rotate_pii_keys``: re-encrypt every encrypted personal datum with the newest key:
members' and candidates' ID numbers and phones, and the addresses of notification deliveries.

Put the new key first in ``PII_ENCRYPTION_KEYS`` (keep the old ones after it), run this, then
remove the old keys. Batched by primary key; each batch is its own transaction, so the command
can be interrupted and run again.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from core import audit
from core.models import Delivery
from members import crypto
from members.models import Candidate, Member

# Every model holding ciphertext, with its encrypted columns.
ENCRYPTED = (
    (Member, ("id_number_encrypted", "phone_encrypted")),
    (Candidate, ("id_number_encrypted", "phone_encrypted")),
    (Delivery, ("address",)),
)


class Command(BaseCommand):
    help = "Re-encrypt personal data (ID numbers, phones, delivery addresses) with the newest PII encryption key."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, batch_size, **options):
        totals = {model: _rotate(model, fields, batch_size) for model, fields in ENCRYPTED}
        self.stdout.write(
            f"已用最新密钥重新加密 {totals[Member]} 名党员、{totals[Candidate]} 名入党申请人的个人信息"
            f"和 {totals[Delivery]} 条通知发送记录的地址。"
        )


def _rotate(model, fields: tuple[str, ...], batch_size: int) -> int:
    last, total = 0, 0
    while True:
        with transaction.atomic():
            batch = list(model.objects.filter(pk__gt=last).order_by("pk").only("pk", *fields)[:batch_size])
            if not batch:
                return total
            for row in batch:
                for field in fields:
                    setattr(row, field, crypto.rotate(getattr(row, field)))
            model.objects.bulk_update(batch, list(fields))
            audit.audit_bulk(
                model=model,
                action="update",
                count=len(batch),
                filter={"pk__gt": last, "pk__lte": batch[-1].pk},
                values=dict.fromkeys(fields, ""),
                note="rotate_pii_keys",
            )
        last, total = batch[-1].pk, total + len(batch)
