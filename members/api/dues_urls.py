from django.urls import path
from rest_framework.routers import SimpleRouter

from members.api import dues_io_views as io
from members.api import dues_views as v

router = SimpleRouter()
router.register("dues/standards", v.DuesStandardViewSet, basename="duesstandard")
router.register("dues/bases", v.DuesBaseViewSet, basename="duesbase")
router.register("dues/payments", v.DuesPaymentViewSet, basename="duespayment")
router.register("dues/imports", io.DuesImportViewSet, basename="duesimport")
router.register("funds/balances", v.BranchFundViewSet, basename="branchfund")
router.register("funds/allocations", v.FundAllocationViewSet, basename="fundallocation")
router.register("funds/spendings", v.FundSpendingViewSet, basename="fundspending")

urlpatterns = [path("dues/ledger/", io.DuesLedgerView.as_view(), name="dues-ledger"), *router.urls]
