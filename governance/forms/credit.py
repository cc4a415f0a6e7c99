"""Credit records: an appeal, its decision, a commendation and the exit with its transfer plan."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.permissions import Act, kindergartens_for

from ..choices import ExitKind
from .common import DATE_WIDGET

# Receiving kindergartens a plan may name at most (the page shows this many rows).
TRANSFER_ROWS = 4


class CreditAppealForm(forms.Form):
    grounds = forms.CharField(label=_("申诉理由"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))


class CreditAppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("处理结果"), choices=[("upheld", _("申诉成立，撤销事件")), ("dismissed", _("申诉不成立"))]
    )
    note = forms.CharField(label=_("处理意见"), max_length=3000, widget=forms.Textarea(attrs={"rows": 2}))


class CreditCommendForm(forms.Form):
    detail = forms.CharField(label=_("表彰内容"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class CreditExitForm(forms.Form):
    kind = forms.ChoiceField(label=_("退出方式"), choices=ExitKind.choices)
    effective_on = forms.DateField(label=_("生效日期"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("决定理由"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))
    children_to_place = forms.IntegerField(label=_("需分流幼儿数"), min_value=0)

    def __init__(self, *args, user, kindergarten, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only kindergartens the user acts on that take children now, the exiting one excepted;
        # those of the same sub-district first.
        receivers = (
            kindergartens_for(user, Act.MANAGE)
            .operating()
            .exclude(pk=kindergarten.pk)
            .select_related("subdistrict")
            .order_by("subdistrict__name", "code")
        )
        same = [k for k in receivers if k.subdistrict_id == kindergarten.subdistrict_id]
        others = [k for k in receivers if k.subdistrict_id != kindergarten.subdistrict_id]
        self.receiver_queryset = receivers
        choices = [("", "—")] + [(k.pk, f"{k.name}（{k.subdistrict.name}）") for k in same + others]
        for n in range(1, TRANSFER_ROWS + 1):
            self.fields[f"receiving_{n}"] = forms.TypedChoiceField(
                label=_("接收幼儿园 %(n)s") % {"n": n}, choices=choices, coerce=int, required=False, empty_value=None
            )
            self.fields[f"children_{n}"] = forms.IntegerField(
                label=_("接收幼儿数 %(n)s") % {"n": n}, min_value=1, required=False
            )

    def clean(self):
        data = super().clean()
        by_pk = {k.pk: k for k in self.receiver_queryset}
        transfers = []
        for n in range(1, TRANSFER_ROWS + 1):
            receiving, children = data.get(f"receiving_{n}"), data.get(f"children_{n}")
            if receiving is None and children is None:
                continue
            if receiving is None or children is None:
                self.add_error(f"children_{n}", _("接收幼儿园和接收幼儿数须同时填写。"))
                continue
            transfers.append((by_pk[receiving], children))
        if not transfers:
            self.add_error(None, _("请至少填写一所接收幼儿园。"))
        data["transfers"] = transfers
        return data

    def rows(self):
        """(receiving field, children field) per row, for the template."""
        return [(self[f"receiving_{n}"], self[f"children_{n}"]) for n in range(1, TRANSFER_ROWS + 1)]
