"""Scale transfers and floating records for ``generate_scale_data``: a few per branch (about one
branch in three has an open letter, one in four a floating member). Bulk inserts of open rows
only, one member each, so the partial unique constraints hold; the rules they would pass are
those of the services (a different branch of the same tree, a letter number and validity)."""

from __future__ import annotations

import datetime

from core.registry import ScaleContext
from members.models import FloatingDirection, FloatingRecord, Transfer, TransferKind, TransferState

TRANSFERS_PER_BRANCH = 2


def generate(ctx: ScaleContext) -> None:
    rng, today = ctx.rng, ctx.today
    by_branch = ctx.data.get("member_ids_by_branch") or {}
    branch_ids = [b for b, ms in by_branch.items() if len(ms) >= 4]
    if len(branch_ids) < 2:
        return
    per = TRANSFERS_PER_BRANCH
    transfers, records = [], []
    for branch_id in branch_ids:
        members = rng.sample(by_branch[branch_id], min(len(by_branch[branch_id]), per + 1))
        for member_id in members[:per]:
            if rng.random() < 0.35:
                transfers.append(_transfer(rng, today, member_id, branch_id, branch_ids, len(transfers)))
        if rng.random() < 0.25:
            since = today - datetime.timedelta(days=rng.randint(10, 400))
            records.append(
                FloatingRecord(
                    member_id=members[-1],
                    branch_id=branch_id,
                    direction=rng.choice(FloatingDirection.values),
                    place=rng.choice(["广东省深圳市", "浙江省杭州市", "上海市浦东新区", "四川省成都市"]),
                    since=since,
                    last_contacted_on=since + datetime.timedelta(days=rng.randint(0, (today - since).days)),
                    certificate_number=f"{ctx.prefix}流{len(records):06d}",
                )
            )
    Transfer.objects.bulk_create(transfers, batch_size=2000)
    FloatingRecord.objects.bulk_create(records, batch_size=2000)
    ctx.data["transfer_count"] = len(transfers)
    ctx.data["floating_record_count"] = len(records)


def _transfer(rng, today, member_id, branch_id, branch_ids, n):
    issued = rng.random() < 0.7
    issued_on = today - datetime.timedelta(days=rng.randint(0, 80)) if issued else None
    target = rng.choice(branch_ids)
    while target == branch_id:
        target = rng.choice(branch_ids)
    return Transfer(
        kind=TransferKind.WITHIN,
        state=TransferState.ISSUED if issued else TransferState.DRAFT,
        member_id=member_id,
        from_branch_id=branch_id,
        to_organization_id=target,
        letter_number=f"规模转〔{today.year}〕{n:06d}号" if issued else "",
        issued_on=issued_on,
        valid_until=issued_on + datetime.timedelta(days=90) if issued else None,
    )
