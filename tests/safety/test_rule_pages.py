"""The rule-set pages: everyone signed in reads the versions, bureau staff enter a new one (which
closes the one in force), versions never overlap, a begun version is superseded, never edited."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safety.forms import SafetyRuleSetForm
from safety.models import SafetyRuleSet
from safety.services import rule_set_supersede, rule_set_update, rule_set_values
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

LIST_URL = reverse("safety:rules_list")
ADD_URL = reverse("safety:rules_add")
DAY = datetime.timedelta(days=1)


@pytest.fixture
def seeded() -> SafetyRuleSet:
    """The version seeded by safety/migrations/0002_seed_rule_set.py, in force since 2018."""
    return SafetyRuleSet.objects.get(valid_from=datetime.date(2018, 1, 1))


def today() -> datetime.date:
    return timezone.localdate()


def form_data(base: SafetyRuleSet, *, valid_from: datetime.date, **changes) -> dict:
    values = {**rule_set_values(base), "valid_from": valid_from.isoformat(), **changes}
    if isinstance(values["guard_bands"], list):
        values["guard_bands"] = "\n".join(f"{p} {g}" for p, g in values["guard_bands"])
    return values


def supersede(user, base: SafetyRuleSet, valid_from: datetime.date, **changes) -> SafetyRuleSet:
    return rule_set_supersede(user=user, valid_from=valid_from, **{**rule_set_values(base), **changes})


def test_it_shows_the_versions_to_everyone_signed_in(client, director_a, seeded):
    page = client_for(client, director_a).get(LIST_URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert seeded.name in text and 'data-status="in_force"' in text and "1000 人以内 3 名" in text
    assert ADD_URL not in text
    detail = client.get(reverse("safety:rules_detail", args=[seeded.pk]))
    assert detail.status_code == 200 and "180" in detail.content.decode()
    client.logout()
    assert client.get(LIST_URL).status_code == 302


def test_it_lets_only_bureau_staff_enter_a_version(client, seeded, director_a, wangjing_official, inspector):
    data = form_data(seeded, valid_from=today() + 10 * DAY, name="新规则")
    for user in (director_a, wangjing_official, inspector):
        client_for(client, user)
        assert client.get(ADD_URL).status_code == 403
        assert client.post(ADD_URL, data).status_code == 403
        with pytest.raises(PermissionDenied):
            supersede(user, seeded, today() + 10 * DAY)
    assert SafetyRuleSet.objects.count() == 1


def test_the_form_starts_from_the_version_in_force(client, bureau_official, seeded):
    page = client_for(client, bureau_official).get(ADD_URL)
    assert page.status_code == 200
    form = page.context["form"]
    assert form["name"].value() == seeded.name and form["access_log_days"].value() == 180
    assert form["guard_bands"].value() == "1000 3"


def test_a_new_version_supersedes_the_one_in_force_from_its_first_day(client, bureau_official, seeded):
    start = today() + 10 * DAY
    data = form_data(seeded, valid_from=start, name="新规则（2027）", guard_bands="99 1\n1000 2", major_deadline_days=5)
    response = client_for(client, bureau_official).post(ADD_URL, data)
    new = SafetyRuleSet.objects.get(name="新规则（2027）")
    assert response.status_code == 302 and response.url == reverse("safety:rules_detail", args=[new.pk])
    assert new.guard_bands == [[99, 1], [1000, 2]] and new.major_deadline_days == 5
    assert (new.valid_from, new.valid_to) == (start, None)
    seeded.refresh_from_db()
    assert seeded.valid_to == start - DAY
    assert SafetyRuleSet.objects.for_day(start - DAY) == seeded and SafetyRuleSet.objects.for_day(start) == new
    # Both changes are in the history, with the user and why.
    closing = seeded.history.first()
    assert closing.history_user == bureau_official and "新规则（2027）" in closing.history_change_reason
    assert new.history.get().history_user == bureau_official


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"guard_bands": "1000 3\n一千五 4"}, "guard_bands", "第 2 行“一千五 4”应为两个正整数"),
        ({"guard_bands": "1000 3\n1500 0"}, "guard_bands", "第 2 行"),
        ({"guard_bands": "1000 3\n500 4"}, "guard_bands", "档位应按人数上限升序排列"),
        ({"guard_bands": ""}, "guard_bands", "必填项"),
        ({"guards_step": 0}, "guards_step", "1"),
        ({"access_log_days": "很多"}, "access_log_days", "整数"),
        ({"name": ""}, "name", "必填"),
    ],
)
def test_it_reports_bad_values_on_their_fields_and_changes_nothing(
    client, bureau_official, seeded, changes, field, message
):
    data = form_data(seeded, valid_from=today() + 10 * DAY, **changes)
    history = seeded.history.count()
    page = client_for(client, bureau_official).post(ADD_URL, data)
    assert page.status_code == 200
    errors = page.context["form"].errors
    assert list(errors) == [field] and message in " ".join(errors[field])
    seeded.refresh_from_db()
    assert SafetyRuleSet.objects.count() == 1 and seeded.valid_to is None and seeded.history.count() == history


def test_a_version_may_not_start_in_the_past(client, bureau_official, seeded):
    data = form_data(seeded, valid_from=today() - DAY, guard_bands="1000 x")
    errors = client_for(client, bureau_official).post(ADD_URL, data).context["form"].errors
    assert "不能早于今天" in " ".join(errors["valid_from"]) and "第 1 行" in " ".join(errors["guard_bands"])
    with pytest.raises(ValidationError) as caught:
        supersede(bureau_official, seeded, today() - DAY)
    assert "不能早于今天" in caught.value.message_dict["valid_from"][0]
    assert SafetyRuleSet.objects.count() == 1
    # Today is allowed: the new version is in force at once and the old one ended yesterday.
    new = supersede(bureau_official, seeded, today(), name="今日起")
    assert SafetyRuleSet.objects.for_day(today()) == new
    seeded.refresh_from_db()
    assert seeded.valid_to == today() - DAY


def test_the_list_costs_the_same_queries_for_more_versions(client, bureau_official, seeded):
    client = client_for(client, bureau_official)
    client.get(LIST_URL)
    with CaptureQueriesContext(connection) as one:
        client.get(LIST_URL)
    base = seeded
    for months in (1, 2, 3):
        base = supersede(bureau_official, base, today() + months * 30 * DAY, name=f"版本{months}")
    with CaptureQueriesContext(connection) as four:
        assert "版本3" in client.get(LIST_URL).content.decode()
    assert len(four.captured_queries) == len(one.captured_queries)


def test_versions_never_overlap(bureau_official, seeded):
    planned = supersede(bureau_official, seeded, today() + 30 * DAY, name="计划版本")
    # Not on or before the start of a version already entered …
    for start in (today() + 20 * DAY, today() + 30 * DAY):
        with pytest.raises(ValidationError) as caught:
            supersede(bureau_official, seeded, start, name="插入版本")
        assert "已有版本“计划版本”" in caught.value.message_dict["valid_from"][0]
    # … but after it, closing it in turn.
    later = supersede(bureau_official, planned, today() + 60 * DAY, name="更晚版本")
    seeded.refresh_from_db()
    planned.refresh_from_db()
    assert seeded.valid_to == today() + 29 * DAY and planned.valid_to == today() + 59 * DAY
    assert later.valid_to is None
    spans = list(SafetyRuleSet.objects.order_by("valid_from").values_list("valid_from", "valid_to"))
    assert all(end < next_start for (_s, end), (next_start, _e) in itertools.pairwise(spans))


def test_a_begun_version_is_superseded_never_edited(client, bureau_official, seeded):
    edit_url = reverse("safety:rules_edit", args=[seeded.pk])
    history = seeded.history.count()
    client = client_for(client, bureau_official)
    response = client.get(edit_url)
    assert response.status_code == 302 and response.url == reverse("safety:rules_detail", args=[seeded.pk])
    client.post(edit_url, form_data(seeded, valid_from=today() + DAY, min_carers=3))
    with pytest.raises(ValidationError):
        rule_set_update(rule_set=seeded, user=bureau_official, **form_data(seeded, valid_from=today() + DAY))
    seeded.refresh_from_db()
    assert (
        seeded.min_carers == 2 and seeded.valid_from == datetime.date(2018, 1, 1) and seeded.history.count() == history
    )
    assert edit_url not in client.get(reverse("safety:rules_detail", args=[seeded.pk])).content.decode()


def test_a_version_not_yet_begun_is_corrected_and_moves_the_previous_end(client, bureau_official, seeded):
    planned = supersede(bureau_official, seeded, today() + 30 * DAY, name="计划版本")
    history = seeded.history.count()
    edit_url = reverse("safety:rules_edit", args=[planned.pk])
    client = client_for(client, bureau_official)
    page = client.get(edit_url)
    assert page.status_code == 200 and page.context["form"]["valid_from"].value() == today() + 30 * DAY
    for days in (20, 40):  # earlier, then later
        response = client.post(edit_url, form_data(planned, valid_from=today() + days * DAY, min_carers=3))
        assert response.status_code == 302
        seeded.refresh_from_db()
        planned.refresh_from_db()
        assert planned.valid_from == today() + days * DAY and planned.min_carers == 3
        assert seeded.valid_to == planned.valid_from - DAY
    # Not to or before the previous version's start.
    page = client.post(edit_url, form_data(planned, valid_from=datetime.date(2018, 1, 1)))
    assert "不能早于今天" in " ".join(page.context["form"].errors["valid_from"])
    assert planned.history.count() == 3 and seeded.history.count() == history + 2


def test_the_guard_bands_read_one_line_per_band():
    form = SafetyRuleSetForm(data={"guard_bands": "99，1\n\n1000 人以内 2 名\n"})
    form.is_valid()
    assert form.cleaned_data["guard_bands"] == [[99, 1], [1000, 2]]
    assert SafetyRuleSetForm(initial={"guard_bands": [[99, 1], [1000, 2]]})["guard_bands"].value() == "99 1\n1000 2"
