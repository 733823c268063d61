from rest_framework.routers import SimpleRouter

from organizations.api import views

router = SimpleRouter()
router.register("organizations", views.OrganizationViewSet)
router.register("compounds", views.CompoundViewSet)
router.register("buildings", views.BuildingViewSet)
router.register("venues", views.VenueViewSet)

urlpatterns = router.urls
