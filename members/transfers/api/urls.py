from rest_framework.routers import SimpleRouter

from members.transfers.api import views

router = SimpleRouter()
router.register("transfers", views.TransferViewSet)
router.register("floating-records", views.FloatingRecordViewSet)
router.register("incoming-letters", views.IncomingLetterViewSet, basename="incoming-letter")

urlpatterns = router.urls
