from django.urls import path  # noqa: F401  (the registry pages add their routes here)

app_name = "staff"

urlpatterns: list = []
