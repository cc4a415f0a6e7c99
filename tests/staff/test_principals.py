"""Principals: stage history, credits against the stage's requirement (at its edge), the
dual-certificate check of the plan period, the pages and their scoping."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from staff.choices import CareerStage, CertificateKind, StaffRole, TrainingLevel, TrainingMode
from staff.models import CreditRequirement, PlanPeriod, StaffMember, TrainingRecord
from staff.selectors_development import appointed_in_period, principal_posts, with_certificates, with_credits
from staff.services import stage_record
from tests.conftest import client_for

from .factories import CertificateFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 12, 31)


def principal(kg, name, *, hired_on=datetime.date(2022, 3, 1), role=StaffRole.PRINCIPAL):
    return StaffMemberFactory(kindergarten=kg, role=role, hired_on=hired_on, person__name=name)


def credits(post, amount, day=datetime.date(2024, 5, 10)):
    return TrainingRecord.objects.create(
        person=post.person,
        kindergarten=post.kindergarten,
        title="园长任职资格培训",
        attended_on=day,
        hours=Decimal(amount) * 2,
        credits=Decimal(amount),
        level=TrainingLevel.DISTRICT,
        mode=TrainingMode.OFFLINE,
    )


def test_it_seeds_the_credit_requirements_and_the_plan_period_as_data():
    required = dict(CreditRequirement.objects.in_force(DAY).values_list("stage", "credits"))
    assert set(required) == set(CareerStage.values)
    assert required[CareerStage.NEW] == Decimal("20")
    period = PlanPeriod.for_day(DAY)
    assert (period.starts_on, period.ends_on) == (datetime.date(2021, 1, 1), datetime.date(2025, 12, 31))


def test_it_keeps_the_history_of_stages_and_reads_the_stage_on_a_day(kg_a, bureau_official):
    post = principal(kg_a, "王园长")
    stage_record(person=post.person, stage=CareerStage.NEW, since=datetime.date(2022, 3, 1), user=bureau_official)
    stage_record(person=post.person, stage=CareerStage.GROWING, since=datetime.date(2024, 9, 1), user=bureau_official)
    on = {day: with_credits(principal_posts(day), 2024, day).get().stage for day in (DAY, datetime.date(2024, 8, 31))}
    assert on == {DAY: CareerStage.GROWING, datetime.date(2024, 8, 31): CareerStage.NEW}
    assert [r.stage for r in post.person.career_stages.all()] == [CareerStage.GROWING, CareerStage.NEW]


def test_only_the_bureau_records_a_stage(kg_a, director_a):
    post = principal(kg_a, "王园长")
    with pytest.raises(PermissionDenied):
        stage_record(person=post.person, stage=CareerStage.NEW, since=DAY, user=director_a)


def test_it_refuses_a_stage_for_someone_without_a_post(kg_a, bureau_official):
    post = StaffMemberFactory(kindergarten=kg_a, hired_on=datetime.date(2023, 1, 1), left_on=datetime.date(2023, 6, 1))
    post.person.posts.update(left_on=datetime.date(2023, 6, 1))
    with pytest.raises(ValidationError):
        stage_record(person=post.person, stage=CareerStage.NEW, since=DAY, user=bureau_official)


def test_credits_reach_the_requirement_at_its_edge(kg_a, bureau_official):
    exact, short, unstaged = principal(kg_a, "甲"), principal(kg_a, "乙"), principal(kg_a, "丙")
    for post in (exact, short):
        stage_record(person=post.person, stage=CareerStage.NEW, since=datetime.date(2022, 3, 1), user=bureau_official)
    credits(exact, 12)
    credits(exact, 8)  # 20 = the requirement of 新任
    credits(short, "19.5")
    credits(short, 5, day=datetime.date(2023, 12, 31))  # another year
    credits(unstaged, 30)
    rows = {p.person.name: p for p in with_credits(principal_posts(DAY), 2024, DAY)}
    assert (rows["甲"].credits, rows["甲"].required, rows["甲"].completed) == (Decimal(20), Decimal(20), True)
    assert (rows["乙"].credits, rows["乙"].completed) == (Decimal("19.5"), False)
    assert (rows["丙"].required, rows["丙"].completed) == (None, False)  # no stage: not completing


def test_the_dual_certificate_check_covers_the_plan_period_only(kg_a, kg_b):
    both = principal(kg_a, "双证")
    first_day = principal(kg_a, "首日", hired_on=datetime.date(2021, 1, 1), role=StaffRole.DEPUTY_PRINCIPAL)
    before = principal(kg_b, "期前", hired_on=datetime.date(2020, 12, 31))
    expired = principal(kg_b, "过期")
    StaffMemberFactory(kindergarten=kg_b, role=StaffRole.TEACHER, hired_on=datetime.date(2022, 1, 1))  # not a principal
    for post in (both, before, expired):
        CertificateFactory(person=post.person, kind=CertificateKind.TEACHER)
        CertificateFactory(person=post.person, kind=CertificateKind.PRINCIPAL)
    CertificateFactory(person=first_day.person, kind=CertificateKind.TEACHER)
    expired.person.certificates.filter(kind=CertificateKind.PRINCIPAL).update(expires_on=datetime.date(2024, 12, 30))
    period, posts = appointed_in_period(DAY)
    rows = {p.person.name: p.dual for p in with_certificates(posts, DAY)}
    assert rows == {"双证": True, "首日": False, "过期": False}
    assert period.name == "“十四五”时期"


class TestPages:
    @pytest.fixture
    def posts(self, kg_a, kg_c, bureau_official):
        a, c = principal(kg_a, "朝阳甲"), principal(kg_c, "双井丙")
        stage_record(person=a.person, stage=CareerStage.RESERVE, since=datetime.date(2022, 3, 1), user=bureau_official)
        return {"A": a, "C": c}

    @pytest.mark.parametrize(
        "url", ["/staff/principals/", "/staff/principals/credits/", "/staff/principals/certificates/"]
    )
    def test_a_director_sees_only_their_own_principals(self, client, director_a, posts, url):
        page = client_for(client, director_a).get(url)
        assert page.status_code == 200
        assert "朝阳甲" in page.content.decode() and "双井丙" not in page.content.decode()
        if "certificates" in url:  # 朝阳甲 holds no certificate
            assert (page.context["summary"]["dual_count"], page.context["missing"]) == (0, 1)

    def test_the_reserve_pool_lists_reserve_cadres(self, client, bureau_official, posts):
        page = client_for(client, bureau_official).get("/staff/principals/reserve/").content.decode()
        assert "朝阳甲" in page and "双井丙" not in page

    def test_a_principal_outside_the_scope_is_a_404(self, client, director_a, posts):
        client = client_for(client, director_a)
        assert client.get(f"/staff/principals/{posts['A'].person_id}/").status_code == 200
        assert client.get(f"/staff/principals/{posts['C'].person_id}/").status_code == 404

    def test_the_bureau_records_a_stage_from_the_page(self, client, bureau_official, director_a, posts):
        url = f"/staff/principals/{posts['C'].person_id}/stage/"
        data = {"stage": CareerStage.NEW, "since": "2024-09-01"}
        assert client_for(client, director_a).post(url, data).status_code == 403
        client_for(client, bureau_official).post(url, data)
        assert posts["C"].person.career_stages.get().stage == CareerStage.NEW

    def test_the_principal_list_runs_the_same_queries_for_more_rows(self, client, bureau_official, kg_a, kg_b, posts):
        client = client_for(client, bureau_official)
        client.get("/staff/principals/")
        with CaptureQueriesContext(connection) as few:
            client.get("/staff/principals/")
        for n in range(8):
            credits(principal(kg_b, f"新园长{n}"), 3)
        with CaptureQueriesContext(connection) as many:
            assert client.get("/staff/principals/").status_code == 200
        assert len(many) == len(few)

    def test_only_the_bureau_adds_a_course(self, client, bureau_official, director_a):
        data = {
            "title": "新任园长任职资格培训",
            "hours": "40",
            "credits": "10",
            "level": TrainingLevel.DISTRICT,
            "mode": TrainingMode.OFFLINE,
            "starts_on": "2024-03-01",
            "ends_on": "2024-02-01",
            "for_principals": "on",
        }
        assert client_for(client, director_a).post("/staff/courses/new/", data).status_code == 403
        page = client_for(client, bureau_official).post("/staff/courses/new/", data)
        assert "结束日期不能早于开始日期" in page.content.decode()
        data["ends_on"] = "2024-03-05"
        assert client_for(client, bureau_official).post("/staff/courses/new/", data).status_code == 302
        assert client.get("/staff/courses/").content.decode().count("新任园长任职资格培训") == 1


class TestIndicators:
    """D = 2025-06-30; credits judged on 2024. Principals (all appointed 2022-03-01 unless said):

    | post | kg (sub-district, sponsor) | certificates on D | stage 2024 | credits 2024 | counts |
    |---|---|---|---|---|---|
    | a1 | A 望京 bureau | both | 新任 (20) | 20 | dual ✔, credit ✔ |
    | a2 | A 望京 bureau | teacher only | 成熟期 (12) | 11 | dual ✘, credit ✘ |
    | b1 | B 望京 private | both | none | 30 | dual ✔, credit ✘ (no stage) |
    | c1 | C 双井 bureau, hired 2019 | none | 专家型 (10) | 10 | not in dual, credit ✔ |
    | c2 | C 双井, hired 2025-03-01 | both | — | — | dual ✔, not in credit (not in post end 2024) |

    dual 3/4 (望京 2/3, 双井 1/1, private 1/1); credit 2/4 (望京 1/3, 双井 1/1, private 0/1).
    """

    D = datetime.date(2025, 6, 30)

    @pytest.fixture
    def world(self, kg_a, kg_b, kg_c, bureau_official):
        kg_b.sponsor_type = "private_nonprofit"
        kg_b.save()
        a1, a2, b1 = principal(kg_a, "a1"), principal(kg_a, "a2"), principal(kg_b, "b1")
        c1 = principal(kg_c, "c1", hired_on=datetime.date(2019, 9, 1))
        c2 = principal(kg_c, "c2", hired_on=datetime.date(2025, 3, 1), role=StaffRole.DEPUTY_PRINCIPAL)
        for post in (a1, b1, c2):
            CertificateFactory(person=post.person, kind=CertificateKind.PRINCIPAL)
        for post in (a1, a2, b1, c2):
            CertificateFactory(person=post.person, kind=CertificateKind.TEACHER)
        since = datetime.date(2022, 3, 1)
        for post, stage in ((a1, CareerStage.NEW), (a2, CareerStage.MATURE), (c1, CareerStage.EXPERT)):
            stage_record(person=post.person, stage=stage, since=since, user=bureau_official)
        for post, amount in ((a1, 20), (a2, 11), (b1, 30), (c1, 10)):
            credits(post, amount)

    def test_the_indicators_equal_the_hand_computed_values(self, world, wangjing, shuangjing):
        from reports.choices import ScopeType
        from reports.indicators import compute_indicators_for
        from staff import indicators_development as codes

        values = compute_indicators_for(self.D)
        got = {
            (v.scope_type, v.scope_key, v.indicator): (int(v.numerator), int(v.denominator))
            for v in values
            if v.indicator in (codes.DUAL_CERTIFICATE_RATE, codes.PRINCIPAL_CREDIT_COMPLETION)
        }
        expected = {
            ("district", "district"): ((3, 4), (2, 4)),
            (ScopeType.SUBDISTRICT, wangjing.code): ((2, 3), (1, 3)),
            (ScopeType.SUBDISTRICT, shuangjing.code): ((1, 1), (1, 1)),
            (ScopeType.OWNERSHIP, "private_nonprofit"): ((1, 1), (0, 1)),
        }
        for (scope_type, key), (dual, credit) in expected.items():
            assert got[(scope_type, key, codes.DUAL_CERTIFICATE_RATE)] == dual, key
            assert got[(scope_type, key, codes.PRINCIPAL_CREDIT_COMPLETION)] == credit, key
        district = {v.indicator: v for v in values if v.scope_type == "district"}
        assert district[codes.DUAL_CERTIFICATE_RATE].target == Decimal(1)
        assert district[codes.DUAL_CERTIFICATE_RATE].met is False

    def test_the_indicator_joins_follow_the_pages_rule(self, world, kg_a, kg_b, kg_c, bureau_official):
        """The indicator reads each person's stage, requirement and credits through joins
        (`credit_joins`), the pages per post (`with_credits`): the same verdict for every post, with
        a stage changed in the year, a requirement replaced in the year, a person in two posts and
        a teacher's training beside them."""
        from reports.indicators import compute_indicators_for
        from staff import indicators_development as codes

        new = CreditRequirement.objects.get(stage=CareerStage.NEW)
        new.valid_to = datetime.date(2024, 5, 31)
        new.save()
        CreditRequirement.objects.create(
            stage=CareerStage.NEW, credits=Decimal(25), valid_from=datetime.date(2024, 6, 1), source="修订"
        )
        a2 = StaffMember.objects.get(person__name="a2")
        stage_record(person=a2.person, stage=CareerStage.GROWING, since=datetime.date(2024, 9, 1), user=bureau_official)
        credits(a2, 5)  # 16 = the requirement of 成长期, the stage on 31 December
        second = principal(kg_c, "a1", role=StaffRole.DEPUTY_PRINCIPAL)
        second.person = StaffMember.objects.get(person__name="a1", kindergarten=kg_a).person
        second.save()
        credits(StaffMemberFactory(kindergarten=kg_a, role=StaffRole.TEACHER), 40)

        year_end = datetime.date(2024, 12, 31)
        posts = list(with_credits(principal_posts(year_end), 2024, year_end))
        assert {(p.person.name, p.kindergarten_id): p.completed for p in posts} == {
            ("a1", kg_a.pk): False,  # 20 < 25, the requirement in force on 31 December
            ("a1", kg_c.pk): False,
            ("a2", kg_a.pk): True,
            ("b1", kg_b.pk): False,
            ("c1", kg_c.pk): True,
        }
        district = next(
            v
            for v in compute_indicators_for(self.D)
            if v.scope_type == "district" and v.indicator == codes.PRINCIPAL_CREDIT_COMPLETION
        )
        assert (int(district.numerator), int(district.denominator)) == (sum(p.completed for p in posts), len(posts))
        assert (int(district.numerator), int(district.denominator)) == (2, 5)  # a2 and c1 of a1, a1, a2, b1, c1

    def test_the_codes_are_the_public_contract(self):
        from staff import indicators_development as codes

        assert [d.code for d in codes.INDICATORS] == [
            "dual_certificate_rate",
            "principal_credit_completion",
            "social_insurance_coverage",
        ]
        assert codes.INDICATORS[0].breakdown_url(None) == "/staff/principals/certificates/"
        assert codes.INDICATORS[1].breakdown_url(7) == "/staff/principals/credits/?behind=true&subdistrict=7"
