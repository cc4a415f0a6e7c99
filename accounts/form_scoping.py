"""Form fields that list objects list only what the user may see, like the querysets behind them.

`scope_choices(form, user)` narrows every `ModelChoiceField` (and multiple-choice field) of a form
whose model has a scoped queryset (`restrict`) to the rows `restrict(user)` returns. A disabled
field lists only the value it holds (a director sees their branch campus's main kindergarten
named, and nothing else): Django validates a disabled field's initial value against the
queryset, so that value has to stay.
"""

from __future__ import annotations

from django import forms

from .scoping import VIEW


def _initial_pks(form: forms.BaseForm, name: str) -> list:
    value = form.get_initial_for_field(form.fields[name], name)
    if value in (None, "", [], ()):
        return []
    values = value if isinstance(value, (list, tuple, set)) else [value]
    return [getattr(v, "pk", v) for v in values]


def scoped_queryset(queryset, user):
    """`queryset` narrowed to what `user` may see, if its model is scoped; else unchanged."""
    restrict = getattr(queryset.model._default_manager.all(), "restrict", None)
    if restrict is None:
        return queryset
    return queryset.filter(pk__in=restrict(user, VIEW).values("pk"))


def scope_choices(form: forms.BaseForm, user) -> forms.BaseForm:
    for name, field in form.fields.items():
        if not isinstance(field, forms.ModelChoiceField):
            continue
        if field.disabled:
            field.queryset = field.queryset.filter(pk__in=_initial_pks(form, name))
        else:
            field.queryset = scoped_queryset(field.queryset, user)
    return form
