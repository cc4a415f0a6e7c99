"""Forms of teaching research and pairing (the bureau's)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.filters import DateInput
from kindergartens.models import Kindergarten

from ..choices import ReviewRating, TrainingMode
from ..models import Person, ResearchCluster, StaffMember


class ClusterForm(forms.ModelForm):
    class Meta:
        model = ResearchCluster
        fields = ["name", "lead", "members", "description"]
        widgets = {
            "members": forms.SelectMultiple(attrs={"size": 10}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        operating = Kindergarten.objects.operating().order_by("code")
        self.fields["lead"].queryset = operating
        self.fields["members"].queryset = operating
        self.fields["members"].help_text = _("牵头园自动成为成员园。")


def cluster_people(cluster: ResearchCluster):
    """People holding a current post at one of the cluster's kindergartens."""
    posted = StaffMember.objects.current().filter(kindergarten__in=cluster.members.all()).values("person")
    return Person.objects.filter(pk__in=posted).order_by("name")


class TeamForm(forms.Form):
    name = forms.CharField(label=_("教研组名称"), max_length=100)
    topic = forms.CharField(label=_("研究主题"), max_length=200)
    leader = forms.ModelChoiceField(label=_("组长"), queryset=None, required=False)
    members = forms.ModelMultipleChoiceField(
        label=_("成员"), queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )

    def __init__(self, *args, cluster: ResearchCluster, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = self.fields["members"].queryset = cluster_people(cluster)


class ActivityForm(forms.Form):
    team = forms.ModelChoiceField(label=_("教研组"), queryset=None)
    held_on = forms.DateField(label=_("活动日期"), widget=DateInput())
    topic = forms.CharField(label=_("活动主题"), max_length=200)
    hours = forms.DecimalField(label=_("学时"), min_value=0, max_value=24, decimal_places=1)
    mode = forms.ChoiceField(label=_("方式"), choices=TrainingMode.choices)
    participants = forms.ModelMultipleChoiceField(
        label=_("参加人员"),
        queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("每位参加人员的培训记录自动增加本次活动的学时（片区级）。"),
    )

    def __init__(self, *args, cluster: ResearchCluster, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = cluster.teams.all()
        self.fields["participants"].queryset = cluster_people(cluster)
        self.fields["held_on"].initial = timezone.localdate()


class PairingForm(forms.Form):
    strong = forms.ModelChoiceField(label=_("帮扶园"), queryset=Kindergarten.objects.operating().order_by("code"))
    weak = forms.ModelChoiceField(label=_("受援园"), queryset=Kindergarten.objects.operating().order_by("code"))
    started_on = forms.DateField(label=_("结对日期"), widget=DateInput())
    goals = forms.CharField(label=_("帮扶目标"), widget=forms.Textarea(attrs={"rows": 4}), max_length=3000)


class ReviewForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    rating = forms.ChoiceField(label=_("目标达成"), choices=ReviewRating.choices)
    progress = forms.CharField(label=_("年度进展"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000)
    reviewed_on = forms.DateField(label=_("评议日期"), widget=DateInput())
