from rest_framework.routers import SimpleRouter

from members.api import views

router = SimpleRouter()
router.register("members", views.MemberViewSet)
router.register("positions", views.PositionViewSet)

urlpatterns = router.urls
