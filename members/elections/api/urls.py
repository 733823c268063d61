from rest_framework.routers import SimpleRouter

from members.elections.api import views

router = SimpleRouter()
router.register("elections", views.ElectionViewSet)
router.register("appraisals", views.AppraisalViewSet)

urlpatterns = router.urls
