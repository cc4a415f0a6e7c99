"""No form lists an object outside its user's scope.

Every page of the URL conf that a role can open (those without URL arguments, and the edit pages
of the user's own kindergarten) is requested as each role; every form the page renders — its
forms and its filter forms — is collected from the context, and each field that lists objects
(`ModelChoiceField`) is checked against `restrict(user)` of its model (accounts.scoping). A
disabled field may list the one value it holds.
"""

from __future__ import annotations

import pytest
from django import forms
from django.urls import URLPattern, URLResolver, get_resolver, reverse

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


def forms_in(context) -> list[forms.BaseForm]:
    found = []
    for value in context.flatten().values() if hasattr(context, "flatten") else []:
        if isinstance(value, forms.BaseForm):
            found.append(value)
        elif isinstance(getattr(value, "form", None), forms.BaseForm):  # a FilterSet
            found.append(value.form)
    return found


def outside_scope(form: forms.BaseForm, user) -> list[str]:
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
            allowed = set(restrict(user).values_list("pk", flat=True))
        extra = listed - allowed
        if extra:
            problems.append(f"{type(form).__name__}.{name}: {len(extra)} outside the scope")
    return problems


@pytest.fixture
def closed_kindergartens(wangjing, shuangjing):
    from ..factories import KindergartenFactory

    return [KindergartenFactory(subdistrict=s) for s in (wangjing, shuangjing, shuangjing)]


def test_no_form_lists_an_object_outside_the_scope(client, personas, kg_a, kg_b, kg_c, closed_kindergartens):
    problems = []
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
            for form in forms_in(response.context):
                problems.extend(f"{role} {url} {p}" for p in outside_scope(form, user))
        client.logout()
    assert problems == []


def test_the_directors_registry_form_lists_only_its_own_main_kindergarten(client, director_a, kg_a, kg_b, kg_c):
    from kindergartens.models import Kindergarten

    Kindergarten.objects.filter(pk=kg_a.pk).update(branch_of=kg_b)
    response = client_for(client, director_a).get(reverse("kindergartens:kindergarten_edit", args=[kg_a.pk]))
    field = response.context["form"].fields["branch_of"]
    assert list(field.queryset) == [kg_b]
    assert kg_c.name not in response.content.decode()
