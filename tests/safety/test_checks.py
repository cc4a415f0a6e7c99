"""Safety checks: checklist versions frozen once published, who runs which check, every item answered,
failed items opening pre-filled hazards, the pages and the API within the scope."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safety import services
from safety.choices import (
    CheckKind,
    ChecklistFrequency,
    CheckOutcome,
    CheckStatus,
    HazardCategory,
    HazardStatus,
    PhotoStage,
    Severity,
)
from safety.models import ChecklistItem, ChecklistVersion, CheckResult, Frozen, Hazard, SafetyCheck
from tests.conftest import client_for
from tests.helpers import VISIBLE_KINDERGARTENS, assert_api_scope

from .conftest import photo

pytestmark = pytest.mark.django_db

ITEMS = (
    (HazardCategory.FIRE, "灭火器在有效期内，压力正常", Severity.GENERAL),
    (HazardCategory.FIRE, "疏散通道畅通，无杂物堆放", Severity.MAJOR),
    (HazardCategory.FOOD, "食品留样 48 小时，记录完整", Severity.GENERAL),
)


def published(user, name="每日安全检查表", items=ITEMS) -> ChecklistVersion:
    _template, draft = services.checklist_template_create(user=user, name=name, frequency=ChecklistFrequency.DAILY)
    for category, text, severity in items:
        services.checklist_item_save(version=draft, user=user, category=category, text=text, severity=severity)
    return services.checklist_version_publish(version=draft, user=user)


@pytest.fixture
def version(bureau_official) -> ChecklistVersion:
    return published(bureau_official)


def items_of(version) -> list[ChecklistItem]:
    return list(version.items.order_by("order"))


def answer_all(safety_check, user, outcomes, notes=None, **extra):
    items = items_of(safety_check.version)
    notes = notes or [""] * len(items)
    answers = {i.pk: (o, n) for i, o, n in zip(items, outcomes, notes, strict=True)}
    return services.check_save(safety_check=safety_check, user=user, answers=answers, **extra)


def run_check(kindergarten, user, version, outcomes, kind=CheckKind.SPOT, day=None, notes=None):
    safety_check = services.check_start(
        kindergarten=kindergarten, version=version, kind=kind, user=user, checked_on=day or datetime.date.today()
    )
    answer_all(safety_check, user, outcomes, notes)
    return services.check_submit(safety_check=safety_check, user=user)


# --- templates and versions ------------------------------------------------------------------------


def test_it_freezes_a_published_version_and_its_items(version, bureau_official):
    item = version.items.first()
    item.text = "改过的内容"
    with pytest.raises(Frozen):
        item.save()
    with pytest.raises(Frozen):
        services.checklist_item_save(
            version=version, user=bureau_official, category="fire", text="新增", severity="general"
        )
    with pytest.raises(Frozen):
        ChecklistItem.objects.filter(version=version).update(text="批量修改")
    with pytest.raises(Frozen):
        version.delete()
    assert ChecklistItem.objects.filter(version=version, text="批量修改").count() == 0


def test_it_copies_a_published_version_into_the_next_draft_which_takes_over_when_published(version, bureau_official):
    draft = services.checklist_version_copy(version=version, user=bureau_official)
    assert draft.number == 2 and draft.is_draft and draft.based_on == version
    assert [i.text for i in items_of(draft)] == [i.text for i in items_of(version)]
    with pytest.raises(ValidationError):
        services.checklist_version_copy(version=version, user=bureau_official)  # one draft at a time
    first = items_of(draft)[0]
    services.checklist_item_save(
        version=draft,
        user=bureau_official,
        item=first,
        category="fire",
        text="灭火器每月检查并签字",
        severity="general",
    )
    assert list(ChecklistVersion.objects.in_force()) == [version]
    services.checklist_version_publish(version=draft, user=bureau_official)
    assert list(ChecklistVersion.objects.in_force()) == [draft]
    assert items_of(version)[0].text == "灭火器在有效期内，压力正常"  # the old wording stays for old checks


def test_it_publishes_no_empty_version_and_only_the_bureau_edits(bureau_official, inspector, director_a):
    _template, draft = services.checklist_template_create(user=bureau_official, name="空表", frequency="weekly")
    with pytest.raises(ValidationError):
        services.checklist_version_publish(version=draft, user=bureau_official)
    for user in (inspector, director_a):
        with pytest.raises(PermissionDenied):
            services.checklist_item_save(version=draft, user=user, category="fire", text="x", severity="general")
        with pytest.raises(PermissionDenied):
            services.checklist_template_create(user=user, name="另一张表", frequency="daily")


def test_others_read_only_published_versions(client, version, bureau_official, director_a):
    draft = services.checklist_version_copy(version=version, user=bureau_official)
    reading = client_for(client, director_a)
    assert reading.get(version.get_absolute_url()).status_code == 200
    assert reading.get(draft.get_absolute_url()).status_code == 404
    assert reading.get(reverse("safety:checklist_add")).status_code == 403
    assert reading.post(reverse("safety:checklist_version_step", args=[draft.pk, "publish"])).status_code == 404
    page = client_for(client, bureau_official).get(draft.get_absolute_url()).content.decode()
    assert "发布此版本" in page


def test_the_bureau_builds_and_publishes_a_checklist_through_the_pages(client, bureau_official, director_a):
    bureau = client_for(client, bureau_official)
    created = bureau.post(reverse("safety:checklist_add"), {"name": "校车安全专项检查表", "frequency": "spot"})
    draft = ChecklistVersion.objects.get()
    assert created.status_code == 302 and created.url == draft.get_absolute_url()
    add = reverse("safety:checklist_item_add", args=[draft.pk])
    assert (
        bureau.post(add, {"category": "transport", "text": "校车有使用许可，标志齐全", "severity": "major"}).status_code
        == 302
    )
    assert bureau.post(add, {"category": "transport", "text": "", "severity": "general"}).status_code == 200  # refused
    bureau.post(add, {"category": "staff", "text": "驾驶人有校车驾驶资格", "severity": "general"})
    item = draft.items.get(text="驾驶人有校车驾驶资格")
    assert [i.order for i in items_of(draft)] == [1, 2]
    bureau.post(
        reverse("safety:checklist_item_edit", args=[item.pk]),
        {"category": "staff", "text": "驾驶人持校车驾驶资格证", "severity": "general", "order": 0},
    )
    reading = client_for(Client(), director_a)
    assert reading.get(reverse("safety:checklist_list")).content.decode().count("校车") == 0
    bureau.post(reverse("safety:checklist_version_step", args=[draft.pk, "publish"]))
    assert ChecklistVersion.objects.get().is_published
    page = reading.get(draft.get_absolute_url()).content.decode()
    assert page.index("驾驶人持校车驾驶资格证") < page.index("校车有使用许可")  # in the order given
    assert bureau.post(reverse("safety:checklist_item_delete", args=[item.pk])).status_code == 404  # frozen
    assert bureau.get(reverse("safety:checklist_item_edit", args=[item.pk])).status_code == 404


# --- who runs which check --------------------------------------------------------------------------


def test_a_director_self_checks_only_their_own_kindergarten(version, director_a, kg_a, kg_b):
    services.check_start(kindergarten=kg_a, version=version, kind=CheckKind.SELF, user=director_a)
    with pytest.raises(PermissionDenied):
        services.check_start(kindergarten=kg_b, version=version, kind=CheckKind.SELF, user=director_a)
    with pytest.raises(PermissionDenied):
        services.check_start(kindergarten=kg_a, version=version, kind=CheckKind.SPOT, user=director_a)


def test_spot_checks_belong_to_assigned_inspectors_and_the_bureau(
    version, inspector, bureau_official, wangjing_official, kg_a, kg_b
):
    services.check_start(kindergarten=kg_b, version=version, kind=CheckKind.SPOT, user=inspector)
    services.check_start(kindergarten=kg_a, version=version, kind=CheckKind.SPOT, user=bureau_official)
    for user, kindergarten in ((inspector, kg_a), (wangjing_official, kg_a)):
        with pytest.raises(PermissionDenied):
            services.check_start(kindergarten=kindergarten, version=version, kind=CheckKind.SPOT, user=user)
    with pytest.raises(PermissionDenied):
        services.check_start(kindergarten=kg_b, version=version, kind=CheckKind.SELF, user=inspector)


def test_a_check_starts_only_from_the_version_in_force(version, bureau_official, inspector, kg_b):
    draft = services.checklist_version_copy(version=version, user=bureau_official)
    with pytest.raises(ValidationError):
        services.check_start(kindergarten=kg_b, version=draft, kind=CheckKind.SPOT, user=inspector)
    services.checklist_version_publish(version=draft, user=bureau_official)
    with pytest.raises(ValidationError):
        services.check_start(kindergarten=kg_b, version=version, kind=CheckKind.SPOT, user=inspector)


# --- answering and submitting ------------------------------------------------------------------------


def test_every_item_must_be_answered_before_submitting_and_a_draft_keeps_its_place(version, director_a, kg_a):
    safety_check = services.check_start(kindergarten=kg_a, version=version, kind=CheckKind.SELF, user=director_a)
    first, second, _third = items_of(version)
    services.check_save(
        safety_check=safety_check, user=director_a, answers={first.pk: (CheckOutcome.PASS, ""), second.pk: ("", "")}
    )
    assert services.first_unanswered(safety_check).item == second
    with pytest.raises(ValidationError) as error:
        services.check_submit(safety_check=safety_check, user=director_a)
    assert "2 项未作答" in error.value.messages[0]
    assert SafetyCheck.objects.get().status == CheckStatus.DRAFT
    assert CheckResult.objects.get(item=first).outcome == CheckOutcome.PASS


def test_a_submitted_check_is_locked(version, director_a, kg_a):
    safety_check = run_check(kg_a, director_a, version, ["pass", "pass", "na"], kind=CheckKind.SELF)
    assert safety_check.status == CheckStatus.SUBMITTED and safety_check.submitted_by == director_a
    with pytest.raises(Frozen):
        answer_all(safety_check, director_a, ["fail", "pass", "na"])
    with pytest.raises(Frozen):
        services.check_submit(safety_check=safety_check, user=director_a)
    assert not Hazard.objects.exists()


def test_a_failed_item_opens_a_prefilled_hazard_with_the_rule_sets_deadline(version, inspector, kg_b):
    day = datetime.date(2025, 11, 3)
    safety_check = services.check_start(
        kindergarten=kg_b, version=version, kind=CheckKind.SPOT, user=inspector, checked_on=day, team="张督学、李工"
    )
    fire, exits, food = items_of(version)
    answer_all(
        safety_check,
        inspector,
        ["pass", "fail", "fail"],
        ["", "二楼东侧疏散通道堆放床垫", ""],
        item_photos={exits.pk: [photo("exit.png")]},
    )
    services.check_submit(safety_check=safety_check, user=inspector)
    blocked = CheckResult.objects.get(item=exits).hazard
    assert blocked.kindergarten == kg_b and blocked.category == HazardCategory.FIRE
    assert blocked.severity == Severity.MAJOR and blocked.found_on == day
    assert blocked.deadline == datetime.date(2025, 11, 10)  # major: 7 days (rule set)
    assert blocked.description == "不符合：疏散通道畅通，无杂物堆放\n二楼东侧疏散通道堆放床垫"
    assert blocked.opened_by == inspector and blocked.status == HazardStatus.OPEN
    assert [p.stage for p in blocked.photos.all()] == [PhotoStage.BEFORE]
    assert blocked.photos.get().file.read() == safety_check.photos.get().file.read()
    assert "第 2 项" in blocked.events.get().note
    storage = CheckResult.objects.get(item=food).hazard
    assert storage.category == HazardCategory.FOOD and storage.deadline == datetime.date(2025, 12, 3)  # general: 30
    assert CheckResult.objects.get(item=fire).hazard is None
    assert Hazard.objects.count() == 2


def test_a_directors_self_check_opens_the_hazard_in_the_directors_name(version, director_a, kg_a):
    run_check(kg_a, director_a, version, ["pass", "pass", "fail"], kind=CheckKind.SELF)
    hazard = Hazard.objects.get()
    assert hazard.opened_by == director_a and hazard.events.get().by == director_a
    with pytest.raises(PermissionDenied):  # opening one directly stays with inspectors and the bureau
        services.hazard_open(
            kindergarten=kg_a, user=director_a, category="fire", severity="general", description="x", owner="y"
        )


# --- pages ----------------------------------------------------------------------------------------------


def test_the_pages_run_a_check_through_to_its_hazards(client, version, inspector, director_b, kg_b):
    inspecting = client_for(client, inspector)
    response = inspecting.post(
        reverse("safety:check_add"),
        {"kindergarten": kg_b.pk, "version": version.pk, "checked_on": "2025-11-03", "team": "张督学"},
    )
    safety_check = SafetyCheck.objects.get()
    assert response.status_code == 302 and response.url == reverse("safety:check_fill", args=[safety_check.pk])
    fire, exits, food = items_of(version)
    data = {
        "checked_on": "2025-11-03",
        "team": "张督学",
        "findings": "总体良好",
        f"outcome-{fire.pk}": "pass",
        f"outcome-{exits.pk}": "fail",
        f"note-{exits.pk}": "通道堆放床垫",
    }
    saved = inspecting.post(reverse("safety:check_fill", args=[safety_check.pk]), data)
    assert saved.status_code == 302 and saved.url.endswith(f"#item-{food.pk}")
    refused = inspecting.post(reverse("safety:check_fill", args=[safety_check.pk]), {**data, "submit": "1"})
    assert refused.status_code == 200 and "1 项未作答" in refused.content.decode()
    done = inspecting.post(
        reverse("safety:check_fill", args=[safety_check.pk]), {**data, f"outcome-{food.pk}": "na", "submit": "1"}
    )
    assert done.status_code == 302 and done.url == safety_check.get_absolute_url()
    hazard = Hazard.objects.get()
    directing = client_for(Client(), director_b)
    detail = directing.get(safety_check.get_absolute_url()).content.decode()
    assert hazard.get_absolute_url() in detail and "通道堆放床垫" in detail
    hazard_page = directing.get(hazard.get_absolute_url()).content.decode()
    assert safety_check.get_absolute_url() in hazard_page and "第 2 项" in hazard_page
    assert inspecting.get(reverse("safety:check_fill", args=[safety_check.pk])).status_code == 302  # locked


def test_checks_outside_the_scope_answer_404(client, version, inspector, director_a, director_b, kg_b, kg_a):
    safety_check = run_check(kg_b, inspector, version, ["pass", "fail", "pass"], notes=["", "", ""])
    photo_row = services.check_save(
        safety_check=services.check_start(kindergarten=kg_b, version=version, kind="spot", user=inspector),
        user=inspector,
        photos=[photo()],
    ).photos.get()
    outsider = client_for(client, director_a)
    assert outsider.get(safety_check.get_absolute_url()).status_code == 404
    assert outsider.get(reverse("safety:check_fill", args=[safety_check.pk])).status_code == 404
    assert outsider.get(reverse("safety:check_photo", args=[photo_row.pk])).status_code == 404
    directing = client_for(Client(), director_b)
    assert directing.get(reverse("safety:check_photo", args=[photo_row.pk])).status_code == 200
    # The director sees the inspector's draft but may not fill it in.
    draft = photo_row.safety_check
    assert directing.get(reverse("safety:check_fill", args=[draft.pk])).status_code == 403
    assert outsider.get(reverse("safety:check_add") + f"?kindergarten={kg_b.pk}").status_code == 200
    refused = outsider.post(reverse("safety:check_add"), {"kindergarten": kg_b.pk, "version": version.pk})
    assert refused.status_code == 200 and SafetyCheck.objects.filter(kindergarten=kg_a).count() == 0


def test_the_check_list_filters_and_costs_the_same_queries_however_many_checks(
    client, version, bureau_official, kg_a, kg_b, kg_c
):
    client = client_for(client, bureau_official)

    def cost(query: str = "") -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("safety:check_list") + query)
            assert response.status_code == 200
        return len(captured), response.content.decode()

    run_check(kg_a, bureau_official, version, ["pass", "pass", "pass"])
    few, _ = cost()
    for kg in (kg_a, kg_b, kg_c, kg_b):
        run_check(kg, bureau_official, version, ["pass", "fail", "na"])
    many, _text = cost()
    assert many == few
    _n, failing = cost("?has_failures=true")
    assert failing.count('class="failures"') == 4
    _n, in_c = cost(f"?kindergarten={kg_c.pk}")
    assert in_c.count('class="failures"') == 1


# --- API --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", sorted(VISIBLE_KINDERGARTENS))
def test_the_check_api_is_scoped(api_client, personas, version, bureau_official, kg_a, kg_b, kg_c, persona):
    checks = {
        n: run_check(k, bureau_official, version, ["pass", "pass", "pass"])
        for n, k in zip("ABC", (kg_a, kg_b, kg_c), strict=True)
    }
    visible = VISIBLE_KINDERGARTENS[persona]
    expected = [c.pk for n, c in checks.items() if n in visible]
    hidden = [c.pk for n, c in checks.items() if n not in visible]
    assert_api_scope(api_client, personas[persona], "/api/safety-checks/", expected, hidden_ids=hidden)


def test_the_api_nests_results_and_shows_others_only_published_templates(
    api_client, version, bureau_official, inspector, director_b, kg_b
):
    safety_check = run_check(kg_b, inspector, version, ["pass", "fail", "na"])
    services.checklist_version_copy(version=version, user=bureau_official)
    api_client.force_authenticate(director_b)
    body = api_client.get(f"/api/safety-checks/{safety_check.pk}/").json()
    assert [r["outcome"] for r in body["results"]] == ["pass", "fail", "na"]
    assert body["results"][1]["hazard"] == Hazard.objects.get().pk and body["failures"] == 1
    templates = api_client.get("/api/checklist-templates/").json()["results"]
    assert [v["number"] for v in templates[0]["versions"]] == [1]
    assert len(templates[0]["versions"][0]["items"]) == 3
    api_client.force_authenticate(bureau_official)
    templates = api_client.get("/api/checklist-templates/").json()["results"]
    assert sorted(v["number"] for v in templates[0]["versions"]) == [1, 2]
    assert api_client.post("/api/safety-checks/", {}).status_code == 405


# --- demo data --------------------------------------------------------------------------------------------


def test_the_demo_seeds_checklists_and_checks_once(client, shuangjing, wangjing):
    import random

    from accounts.choices import Role
    from safety.demo import seed
    from tests.factories import KindergartenFactory, UserFactory

    demo = [KindergartenFactory(code=f"DEMO-{n:04d}", subdistrict=shuangjing) for n in range(8)]
    UserFactory(username="inspector", role=Role.INSPECTOR)
    director = UserFactory(username="director", role=Role.DIRECTOR, kindergarten=demo[0])
    bureau = UserFactory(username="bureau")
    seed(random.Random(2025))
    assert ChecklistVersion.objects.in_force().count() == 2
    spot = SafetyCheck.objects.filter(kind=CheckKind.SPOT)
    assert spot.count() == 6 and spot.with_failures().count() == 3
    assert Hazard.objects.filter(check_result__safety_check__kind=CheckKind.SPOT).count() == 3
    assert SafetyCheck.objects.filter(kindergarten=demo[0], status=CheckStatus.DRAFT).count() == 1
    own_hazard = Hazard.objects.get(check_result__safety_check__kind=CheckKind.SELF)
    assert own_hazard.opened_by == director and own_hazard.kindergarten == demo[0]
    total = SafetyCheck.objects.count()
    seed(random.Random(2025))
    assert SafetyCheck.objects.count() == total and ChecklistVersion.objects.count() == 2
    reading = client_for(client, bureau)
    for safety_check in SafetyCheck.objects.all():  # bulk-made checks have no filler recorded
        assert reading.get(safety_check.get_absolute_url()).status_code == 200
    for version in ChecklistVersion.objects.all():
        assert reading.get(version.get_absolute_url()).status_code == 200
