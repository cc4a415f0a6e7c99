"""One router for the whole API, so every resource sits under /api/ with one browsable root."""

from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from kindergartens.api.views import KindergartenViewSet, SubdistrictViewSet

router = DefaultRouter()
router.register("subdistricts", SubdistrictViewSet, basename="subdistrict")
router.register("kindergartens", KindergartenViewSet, basename="kindergarten")

urlpatterns = [
    path("token/", obtain_auth_token, name="api_token"),
    path("", include(router.urls)),
]
