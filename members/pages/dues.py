"""The secretary's phone page for this month's dues: who has not paid, and the branch fund."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from members.dues.funds import fund_balance
from members.dues.ledger import member_figures
from members.models import Member
from members.pages.views import _branch_or_404


@login_required
def dues_month(request, branch_id: int):
    branch = _branch_or_404(request, branch_id)
    month = timezone.localdate().replace(day=1)
    figures = {r[0]: r for r in member_figures([branch.pk], month, month)}
    members = Member.objects.for_user(request.user).active().filter(pk__in=figures).order_by("name", "id")
    unpaid, paid = [], []
    for member in members:
        row = figures[member.pk]
        (unpaid if row[2] > row[4] else paid).append((member, row[3]))
    return render(
        request,
        "branch/dues.html",
        {"branch": branch, "month": month, "unpaid": unpaid, "paid": paid, "balance": fund_balance(branch)},
    )
