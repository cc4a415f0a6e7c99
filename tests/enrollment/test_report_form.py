"""The director's enrolment report: drafts, submission, totals that must add up, locks and scoping."""

import pytest
from django.urls import reverse

from enrollment.choices import SubmissionStatus
from enrollment.models import EnrollmentByAge, EnrollmentSubmission, SchoolClass
from enrollment.services import school_year_lock
from tests.conftest import client_for

from .conftest import report_data
from .factories import SchoolClassFactory, SubmissionFactory

TWO_CLASSES = [
    {"class_type": "small", "name": "小一班", "approved_size": 25, "enrolled": 24},
    {"class_type": "middle", "name": "中一班", "approved_size": 30, "enrolled": 29},
]
AGES_53 = {3: 24, 4: 29}  # adds up to the two classes' 53 children


def url(kindergarten, year) -> str:
    return reverse("enrollment:report", args=[kindergarten.pk, year.start_year])


@pytest.mark.django_db
class TestDraftAndSubmit:
    def test_it_saves_a_draft_even_when_ages_do_not_add_up(self, client, director_a, kg_a, year):
        response = client_for(client, director_a).post(url(kg_a, year), report_data(TWO_CLASSES, {3: 20}))

        assert response.status_code == 302
        # A draft is the director's working copy: no official row is written.
        assert not SchoolClass.objects.exists()
        assert not EnrollmentByAge.objects.exists()
        submission = EnrollmentSubmission.objects.get(kindergarten=kg_a, school_year=year)
        assert submission.status == SubmissionStatus.DRAFT
        assert submission.submitted_at is None
        assert submission.draft["classes"] == [["small", "小一班", 25, 24], ["middle", "中一班", 30, 29]]
        assert submission.draft["children_by_age"] == {"2": 0, "3": 20, "4": 0, "5": 0, "6": 0}
        page = client.get(response.url)
        assert "报送前请核对" in page.content.decode()
        assert [f["name"].value() for f in page.context["formset"].forms if f.initial] == ["小一班", "中一班"]
        assert page.context["age_form"]["age_3"].value() == 20

    def test_it_records_who_saved_and_submitted_in_the_history(self, client, director_a, kg_a, year):
        client_for(client, director_a).post(url(kg_a, year), report_data(TWO_CLASSES, AGES_53))
        client.post(url(kg_a, year), report_data(TWO_CLASSES, AGES_53, action="submit"))

        school_class = SchoolClass.objects.get(name="小一班")
        assert school_class.history.get().history_user == director_a
        history = EnrollmentSubmission.objects.get().history.order_by("history_date")
        assert [(h.history_user, h.history_change_reason) for h in history] == [
            (director_a, "保存草稿"),
            (director_a, "报送"),
        ]

    def test_it_submits_when_ages_add_up(self, client, director_a, kg_a, year):
        response = client_for(client, director_a).post(
            url(kg_a, year), report_data(TWO_CLASSES, AGES_53, action="submit")
        )

        assert response.status_code == 302
        submission = EnrollmentSubmission.objects.get(kindergarten=kg_a, school_year=year)
        assert submission.status == SubmissionStatus.SUBMITTED
        assert submission.submitted_by == director_a
        assert submission.submitted_at is not None

    def test_it_rejects_a_submission_whose_ages_do_not_add_up_and_saves_nothing(self, client, director_a, kg_a, year):
        response = client_for(client, director_a).post(
            url(kg_a, year), report_data(TWO_CLASSES, {3: 24, 4: 28}, action="submit")
        )

        assert response.status_code == 200
        errors = response.context["age_form"].errors["total"]
        assert errors == ["分年龄合计（52 人）与各班在班幼儿数合计（53 人）不一致。"]
        assert "has-error" in response.content.decode()
        assert not SchoolClass.objects.exists()
        assert not EnrollmentByAge.objects.exists()
        assert not EnrollmentSubmission.objects.exists()

    def test_it_lets_the_bureau_edit_rename_and_remove_official_classes(self, client, bureau_official, kg_a, year):
        SubmissionFactory(kindergarten=kg_a, school_year=year, submitted=True)
        SchoolClassFactory(kindergarten=kg_a, school_year=year, name="小一班", enrolled=20)
        drop = SchoolClassFactory(kindergarten=kg_a, school_year=year, name="小二班", enrolled=20)
        classes = [
            {"id": 1, "class_type": "small", "name": "小二班", "approved_size": 25, "enrolled": 22},
            {"id": 2, "class_type": "small", "name": "小一班", "approved_size": 25, "enrolled": 20, "delete": 1},
            {"class_type": "senior", "name": "大一班", "approved_size": 35, "enrolled": 33},
        ]

        response = client_for(client, bureau_official).post(url(kg_a, year), report_data(classes, {3: 22, 5: 33}))

        assert response.status_code == 302
        assert sorted(SchoolClass.objects.values_list("name", "enrolled")) == [("大一班", 33), ("小二班", 22)]
        assert SchoolClass.history.filter(name="小一班", history_type="-", history_user=bureau_official).exists()
        assert SchoolClass.history.filter(id=drop.pk, history_type="~", history_user=bureau_official).exists()

    def test_it_rejects_two_classes_with_one_name(self, client, director_a, kg_a, year):
        classes = [TWO_CLASSES[0], {**TWO_CLASSES[1], "name": "小一班"}]

        response = client_for(client, director_a).post(url(kg_a, year), report_data(classes, AGES_53))

        assert response.status_code == 200
        assert "班级名称重复。" in response.content.decode()
        assert not SchoolClass.objects.exists()

    def test_it_rejects_more_international_seats_than_approved(self, client, director_a, kg_a, year):
        kg_a.international_seats = 10
        kg_a.save()

        response = client_for(client, director_a).post(url(kg_a, year), report_data(TWO_CLASSES, AGES_53, seats=11))

        assert response.status_code == 200
        assert response.context["age_form"].errors["international_seats_used"]
        assert not SchoolClass.objects.exists()


@pytest.mark.django_db
class TestLimitsAndUtilisation:
    def test_it_flags_classes_over_the_limit_in_red(self, client, director_a, kg_a, year):
        SchoolClassFactory(kindergarten=kg_a, school_year=year, class_type="small", name="小一班", enrolled=28)
        SchoolClassFactory(kindergarten=kg_a, school_year=year, class_type="senior", name="大一班", enrolled=35)

        response = client_for(client, director_a).get(url(kg_a, year))

        flags = {f["name"].value(): f.over_limit for f in response.context["formset"].forms if f.initial}
        assert flags == {"小一班": True, "大一班": False}
        assert response.context["totals"]["over_limit"] == 1
        assert 'class="class-row over-limit"' in response.content.decode()

    def test_it_counts_toddlers_apart_but_in_seat_utilisation(self, client, director_a, kg_a, year):
        SchoolClassFactory(kindergarten=kg_a, school_year=year, class_type="small", name="小一班", enrolled=30)
        SchoolClassFactory(kindergarten=kg_a, school_year=year, class_type="toddler", name="托一班", enrolled=15)

        response = client_for(client, director_a).get(url(kg_a, year))

        totals = response.context["totals"]
        assert (totals["enrolled"], totals["toddlers"], totals["capacity"]) == (30, 15, 300)
        assert totals["utilisation"] == pytest.approx(15.0)


@pytest.mark.django_db
class TestLocks:
    def test_it_makes_a_locked_year_read_only_and_refuses_posts(self, client, director_a, bureau_official, kg_a, year):
        school_year_lock(school_year=year, user=bureau_official)
        client_for(client, director_a)

        page = client.get(url(kg_a, year))
        response = client.post(url(kg_a, year), report_data(TWO_CLASSES, AGES_53, action="submit"))

        assert page.status_code == 200
        assert page.context["editable"] is False
        assert 'id="report-form"' not in page.content.decode()
        assert "已锁定" in page.content.decode()
        assert response.status_code == 403
        assert not SchoolClass.objects.exists()

    def test_it_refuses_the_bureau_too_in_a_locked_year(self, client, bureau_official, kg_a, year):
        school_year_lock(school_year=year, user=bureau_official)

        response = client_for(client, bureau_official).post(url(kg_a, year), report_data(TWO_CLASSES, AGES_53))

        assert response.status_code == 403

    def test_it_keeps_a_submitted_report_from_the_director_until_returned(
        self, client, director_a, bureau_official, kg_a, year
    ):
        SubmissionFactory(kindergarten=kg_a, school_year=year, submitted=True)
        director = client_for(client, director_a)
        assert director.post(url(kg_a, year), report_data(TWO_CLASSES, AGES_53)).status_code == 403

        client_for(client, bureau_official).post(reverse("enrollment:submission_return", args=[kg_a.pk, 2026]))
        assert EnrollmentSubmission.objects.get().status == SubmissionStatus.DRAFT

        response = client_for(client, director_a).post(url(kg_a, year), report_data(TWO_CLASSES, AGES_53))
        assert response.status_code == 302
        assert SchoolClass.objects.count() == 0  # a draft again: the working copy only
        response = client.post(url(kg_a, year), report_data(TWO_CLASSES, AGES_53, action="submit"))
        assert response.status_code == 302
        assert SchoolClass.objects.count() == 2

    def test_it_lets_the_bureau_correct_a_submitted_report_that_still_adds_up(
        self, client, bureau_official, kg_a, year
    ):
        SubmissionFactory(kindergarten=kg_a, school_year=year, submitted=True)
        client_for(client, bureau_official)

        mismatched = client.post(url(kg_a, year), report_data(TWO_CLASSES, {3: 1}))
        corrected = client.post(url(kg_a, year), report_data(TWO_CLASSES, AGES_53))

        assert mismatched.status_code == 200
        assert corrected.status_code == 302
        assert EnrollmentSubmission.objects.get().status == SubmissionStatus.SUBMITTED


@pytest.mark.django_db
class TestScoping:
    def test_it_answers_404_for_another_kindergartens_report(self, client, director_a, kg_b, year):
        client_for(client, director_a)

        assert client.get(url(kg_b, year)).status_code == 404
        assert client.post(url(kg_b, year), report_data(TWO_CLASSES, AGES_53)).status_code == 404
        assert not SchoolClass.objects.exists()

    def test_it_shows_a_subdistrict_official_their_areas_reports_read_only(
        self, client, wangjing_official, kg_a, kg_c, year
    ):
        client_for(client, wangjing_official)

        page = client.get(url(kg_a, year))

        assert page.status_code == 200
        assert page.context["editable"] is False
        assert client.post(url(kg_a, year), report_data(TWO_CLASSES, AGES_53)).status_code == 403
        assert client.get(url(kg_c, year)).status_code == 404

    def test_it_sends_a_director_to_their_own_report_and_others_to_the_tracker(
        self, client, director_a, bureau_official, kg_a, year
    ):
        assert client_for(client, director_a).get(reverse("enrollment:mine")).url == url(kg_a, year)
        assert client_for(client, bureau_official).get(reverse("enrollment:mine")).url == reverse("enrollment:tracker")

    def test_it_asks_anonymous_visitors_to_log_in(self, client, kg_a, year):
        response = client.get(url(kg_a, year))

        assert response.status_code == 302
        assert reverse("login") in response.url


@pytest.mark.django_db
def test_it_links_a_kindergartens_page_to_its_current_report(client, wangjing_official, kg_a, kg_c, year):
    client_for(client, wangjing_official)

    page = client.get(kg_a.get_absolute_url())
    response = client.get(reverse("enrollment:current_report", args=[kg_a.pk]))

    assert reverse("enrollment:current_report", args=[kg_a.pk]) in page.content.decode()
    assert response.url == url(kg_a, year)
    assert client.get(reverse("enrollment:current_report", args=[kg_c.pk])).status_code == 404
