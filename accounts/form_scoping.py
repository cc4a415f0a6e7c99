"""Form fields that list objects list only what the user may pick, like the querysets behind them.

`scope_choices(form, user)` narrows every `ModelChoiceField` (and multiple-choice field) of a form
whose model has a scoped queryset (`restrict`). A form that changes data (the default, `CHANGE`)
offers only `linkable(queryset, user)`: records (an incident, a case, a person) the user may
change; places — kindergartens and sub-districts — the user may change or takes a writing action
on (an inspector files an issue against an assigned kindergarten without being allowed to edit
the kindergarten itself); district reference data and the teams the user reads, which are linked
to and never changed here. A filter form (`VIEW`) offers what the user may see. A disabled
field lists only the value it holds (a director sees their branch campus's main kindergarten
named, and nothing else): Django validates a disabled field's initial value against the
queryset, so that value has to stay.

tests/accounts/test_form_choices.py checks every form of every page against the same rule.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q

from .permissions import RULES, Act, kindergartens_for
from .scoping import CHANGE, VIEW, Action, DistrictWideQuerySet, MembershipQuerySet

# Actions that write: where a user takes one of them, they may link records to the kindergarten.
WRITING_ACTS = tuple(act for act in RULES if act != Act.DASHBOARD)


def _initial_pks(form: forms.BaseForm, name: str) -> list:
    value = form.get_initial_for_field(form.fields[name], name)
    if value in (None, "", [], ()):
        return []
    values = value if isinstance(value, (list, tuple, set)) else [value]
    return [getattr(v, "pk", v) for v in values]


def acting_kindergartens(user):
    """The kindergartens on which `user` takes any writing action (a queryset of primary keys)."""
    from kindergartens.models import Kindergarten  # kindergartens imports accounts

    found = Kindergarten.objects.none()
    for act in WRITING_ACTS:
        found = found | kindergartens_for(user, act)
    return found.values("pk")


def linkable(queryset, user):
    """Rows of `queryset` that a form changing data may offer `user` (see the module docstring)."""
    rows = queryset.model._default_manager.all()
    if isinstance(rows, (DistrictWideQuerySet, MembershipQuerySet)):
        return rows.restrict(user, VIEW)  # reference data and teams: linked to, never changed
    changeable = rows.restrict(user, CHANGE)
    path = rows.scope.kindergarten
    if path not in ("pk", None):  # a record (an incident, a case, a person): only one they may change
        return changeable
    # A place (a kindergarten, a sub-district): also where the user acts, though they may not edit it.
    if path == "pk":
        there = rows.restrict(user, VIEW).filter(pk__in=acting_kindergartens(user))
    else:
        from kindergartens.models import Kindergarten  # kindergartens imports accounts

        around = Kindergarten.objects.filter(pk__in=acting_kindergartens(user)).values("subdistrict")
        there = rows.restrict(user, VIEW).filter(pk__in=around)
    return rows.filter(Q(pk__in=changeable.values("pk")) | Q(pk__in=there.values("pk")))


def scoped_queryset(queryset, user, action: Action = CHANGE):
    """`queryset` narrowed to what `user` may pick for `action`, if its model is scoped; else unchanged."""
    rows = queryset.model._default_manager.all()
    if getattr(rows, "restrict", None) is None:
        return queryset
    allowed = rows.restrict(user, VIEW) if action == VIEW else linkable(queryset, user)
    return queryset.filter(pk__in=allowed.values("pk"))


def scope_choices(form: forms.BaseForm, user, action: Action = CHANGE) -> forms.BaseForm:
    """Narrow the form's object fields: `CHANGE` for a form that writes, `VIEW` for a filter form."""
    for name, field in form.fields.items():
        if not isinstance(field, forms.ModelChoiceField):
            continue
        if field.disabled:
            field.queryset = field.queryset.filter(pk__in=_initial_pks(form, name))
        else:
            field.queryset = scoped_queryset(field.queryset, user, action)
    return form
