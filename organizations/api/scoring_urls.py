from rest_framework.routers import SimpleRouter

from organizations.api import scoring_views

router = SimpleRouter()
router.register("scores", scoring_views.BranchScoreViewSet, basename="branchscore")
router.register("reminders", scoring_views.ReminderViewSet, basename="reminder")

urlpatterns = router.urls
