from rest_framework.routers import SimpleRouter

from members.api import points_views

router = SimpleRouter()
router.register("points", points_views.PointsEntryViewSet, basename="pointsentry")

urlpatterns = router.urls
