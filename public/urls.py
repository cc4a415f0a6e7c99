"""The parents' portal, mounted at /public/ without login (the URLs the inspections app used to serve)."""

from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("kindergartens/<str:code>/", views.kindergarten_detail, name="kindergarten_detail"),
    path("api/kindergartens/", views.api_kindergartens, name="api_kindergartens"),
    path("api/kindergartens/<str:code>/", views.api_kindergarten, name="api_kindergarten"),
]
