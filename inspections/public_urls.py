"""Public pages, mounted at /public/ without login: see `inspections.views.public`."""

from django.urls import path

from .views import public

app_name = "public"

urlpatterns = [
    path("", public.PublicKindergartenListView.as_view(), name="index"),
    path("kindergartens/<str:code>/", public.PublicKindergartenDetailView.as_view(), name="kindergarten_detail"),
]
