"""The choices the staff filters share, limited to what the user may see."""

from kindergartens.models import Kindergarten, Subdistrict


def visible_subdistricts(request):
    return Subdistrict.objects.visible_to(getattr(request, "user", None))


def visible_kindergartens(request):
    return Kindergarten.objects.visible_to(getattr(request, "user", None))
