"""Every FilterSet of the portal reads the same way: choice filters 全部, yes/no filters 全部/是/否,
dates `<input type="date">`, and a new FilterSet gets it by inheriting PortalFilterSet."""

import importlib
import inspect

import django_filters
import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from common.filters import PortalFilterSet
from kindergartens.models import Kindergarten
from tests.conftest import client_for

PROJECT_APPS = [a for a in apps.get_app_configs() if a.path.startswith(str(settings.BASE_DIR))]


def project_filtersets() -> list[type]:
    found = set()
    for app in PROJECT_APPS:
        for name in ("filtersets",):
            try:
                module = importlib.import_module(f"{app.name}.{name}")
            except ModuleNotFoundError:
                continue
            for _, value in inspect.getmembers(module, inspect.isclass):
                if issubclass(value, django_filters.FilterSet) and value.__module__.startswith(app.name):
                    found.add(value)
    return sorted(found, key=lambda c: c.__qualname__)


def test_every_filterset_of_the_portal_inherits_the_portal_base():
    filtersets = project_filtersets()
    assert len(filtersets) > 10
    assert [f.__qualname__ for f in filtersets if not issubclass(f, PortalFilterSet)] == []


@pytest.mark.django_db
def test_a_new_filterset_gets_all_yes_no_and_date_pickers():
    class Example(PortalFilterSet):
        opened = django_filters.DateFilter(field_name="opened_on")

        class Meta:
            model = Kindergarten
            fields = ["subdistrict", "inclusive_status", "is_village_centre", "opened"]

    with translation.override("zh-hans"):  # another test may leave English active
        form = Example({}).form
        html = str(form)
        assert "---------" not in html and "未知" not in html
        assert [str(c[1]) for c in form.fields["is_village_centre"].widget.choices] == ["全部", "是", "否"]
        assert form.fields["subdistrict"].empty_label == "全部"
        assert dict(form.fields["inclusive_status"].choices)[""] == "全部"
        assert 'type="date"' in str(form["opened"])
    assert Example({"is_village_centre": "true"}).form.is_valid()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        reverse("inspections:order_list"),
        reverse("inspections:issue_list"),
        reverse("inspections:self_assessment_list"),
        reverse("inspections:unlicensed_case_list"),
        reverse("kindergartens:kindergarten_list"),
    ],
)
def test_list_pages_filter_with_all_not_django_defaults(client, bureau_official, url):
    client_for(client, bureau_official)
    page = client.get(url).content.decode()
    assert '<option value="" selected>全部</option>' in page
    assert "---------" not in page and ">未知<" not in page


@pytest.mark.django_db
def test_yes_no_filters_still_filter(client, bureau_official):
    client_for(client, bureau_official)
    url = reverse("inspections:order_list")
    assert client.get(url, {"overdue": "true"}).status_code == 200
    assert client.get(url, {"overdue": "false"}).status_code == 200
