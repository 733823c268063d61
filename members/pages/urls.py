"""Branch secretary pages under ``/branch/`` (organizational-life issue)."""

app_name = "branch"
urlpatterns: list = []
