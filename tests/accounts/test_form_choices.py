"""No form lists an object outside its user's scope.

Every page of the URL conf that a role can open (those without URL arguments, and the edit pages
of the user's own kindergarten) is requested as each role; every form the page renders — its
forms and its filter forms, from every template's context — is collected, and each field that
lists objects (`ModelChoiceField`) is checked: a filter form's against `restrict(user, VIEW)` of
its model (accounts.scoping), a form that changes data against what the user may change or link
to (`accounts.form_scoping.linkable`). A disabled field may list the one value it holds.
"""

from __future__ import annotations

import pytest
from django import forms
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_filters import FilterSet

from accounts.form_scoping import linkable
from accounts.scoping import CHANGE, VIEW

from ..conftest import client_for

SKIP = ("api/", "admin/", "i18n/", "accounts/logout", "public/", "favicon")


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + str(pattern.pattern), f"{namespace}:{pattern.name}" if namespace else pattern.name


def form_pages() -> list[str]:
    names = []
    for route, name in _walk(get_resolver().url_patterns):
        if route.startswith(SKIP) or "<" in route or route.endswith((".xlsx", ".pdf", "export/")):
            continue
        names.append(name)
    return sorted(set(names))


def forms_in(context) -> list[tuple[forms.BaseForm, str]]:
    """(form, the scope its choices must keep to) for every form of every template rendered.

    A page renders several templates (the base, its includes): the test client then hands a list
    of contexts, and each is read."""
    found: dict[int, tuple[forms.BaseForm, str]] = {}
    for each in context if isinstance(context, list) else [context]:
        for value in each.flatten().values():
            if isinstance(value, FilterSet):
                found[id(value.form)] = (value.form, VIEW)
            elif isinstance(value, forms.BaseForm):
                found.setdefault(id(value), (value, CHANGE))
    return list(found.values())


def outside_scope(form: forms.BaseForm, user, action: str) -> list[str]:
    problems = []
    for name, field in form.fields.items():
        if not isinstance(field, forms.ModelChoiceField):
            continue
        listed = set(field.queryset.values_list("pk", flat=True))
        restrict = getattr(field.queryset.model._default_manager.all(), "restrict", None)
        if field.disabled:
            value = form.get_initial_for_field(field, name)
            values = value if isinstance(value, (list, tuple)) else [value]
            allowed = {getattr(v, "pk", v) for v in values}
        elif restrict is None:
            continue
        else:
            rows = restrict(user, VIEW) if action == VIEW else linkable(field.queryset, user)
            allowed = set(rows.values_list("pk", flat=True))
        extra = listed - allowed
        if extra:
            problems.append(f"{type(form).__name__}.{name}: {len(extra)} outside the {action} scope")
    return problems


@pytest.fixture
def closed_kindergartens(wangjing, shuangjing):
    from ..factories import KindergartenFactory

    return [KindergartenFactory(subdistrict=s) for s in (wangjing, shuangjing, shuangjing)]


def test_no_form_lists_an_object_outside_the_scope(client, personas, kg_a, kg_b, kg_c, closed_kindergartens):
    problems, checked = [], 0
    pages = form_pages()
    for role, user in personas.items():
        client_for(client, user)
        urls = [reverse(name) for name in pages]
        if user.kindergarten_id:
            urls.append(reverse("kindergartens:kindergarten_edit", args=[user.kindergarten_id]))
        for url in urls:
            response = client.get(url)
            if response.status_code != 200 or response.context is None:
                continue
            for form, action in forms_in(response.context):
                checked += 1
                problems.extend(f"{role} {url} {p}" for p in outside_scope(form, user, action))
        client.logout()
    assert problems == []
    assert checked > 200  # the walk does find the forms (a page's context is a list of contexts)


def test_the_directors_registry_form_lists_only_its_own_main_kindergarten(client, director_a, kg_a, kg_b, kg_c):
    from kindergartens.models import Kindergarten

    Kindergarten.objects.filter(pk=kg_a.pk).update(branch_of=kg_b)
    response = client_for(client, director_a).get(reverse("kindergartens:kindergarten_edit", args=[kg_a.pk]))
    field = response.context["form"].fields["branch_of"]
    assert list(field.queryset) == [kg_b]
    assert kg_c.name not in response.content.decode()


def test_a_form_that_changes_data_offers_what_the_user_may_change_or_act_on(
    director_a, inspector, bureau_official, kg_a, kg_b, kg_c
):
    """A director reads their kindergarten's rectification orders but answers them elsewhere: a
    form that writes offers none of them, a filter form all. An inspector edits no kindergarten
    but files records against the assigned ones: those are offered."""
    from accounts.form_scoping import scope_choices
    from inspections.models import RectificationOrder
    from kindergartens.models import Kindergarten

    from ..inspections.factories import order

    issued = order(kg_a, bureau_official)

    class Form(forms.Form):
        order = forms.ModelChoiceField(RectificationOrder.objects.all())
        kindergarten = forms.ModelChoiceField(Kindergarten.objects.all())

    writing = scope_choices(Form(), director_a)
    assert list(writing.fields["order"].queryset) == []
    assert list(writing.fields["kindergarten"].queryset) == [kg_a]
    filtering = scope_choices(Form(), director_a, VIEW)
    assert list(filtering.fields["order"].queryset) == [issued]

    assigned = set(inspector.assigned_kindergartens.all())
    assert assigned and set(scope_choices(Form(), inspector).fields["kindergarten"].queryset) == assigned
    assert set(scope_choices(Form(), bureau_official).fields["kindergarten"].queryset) == {kg_a, kg_b, kg_c}
