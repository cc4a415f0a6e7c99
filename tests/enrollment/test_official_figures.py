"""Official figures and a director's working copy are kept apart (the draft-over-import data loss).

Official figures are the rows every indicator reads: imported by the bureau, or submitted by a
director and, where they differ from figures already official, accepted by the bureau.
"""

import datetime

import pytest
from django.urls import reverse

from enrollment.choices import SubmissionStatus
from enrollment.models import EnrollmentByAge, EnrollmentSubmission, SchoolClass
from enrollment.services import statistics_import
from reports.models import IndicatorSnapshot
from reports.services import compute_indicators
from tests.conftest import client_for

from .conftest import report_data
from .test_statistics_import import valid_sheets, workbook

# The workbook gives KGA0001 小一班 24 and 大一班 36 children; ages 3: 24, 5: 30, 6: 6.
IMPORTED_CLASSES = [("大一班", "senior", 35, 36), ("小一班", "small", 25, 24)]
OTHER_CLASSES = [
    {"class_type": "small", "name": "小一班", "approved_size": 25, "enrolled": 20},
    {"class_type": "senior", "name": "大一班", "approved_size": 35, "enrolled": 30},
]
OTHER_AGES = {3: 20, 5: 25, 6: 5}  # adds up to 50
DAY = datetime.date(2026, 11, 15)


def official(kindergarten) -> tuple:
    """The kindergarten's official figures and the number of history rows behind them."""
    classes = sorted(
        SchoolClass.objects.filter(kindergarten=kindergarten).values_list(
            "name", "class_type", "approved_size", "enrolled"
        )
    )
    ages = dict(EnrollmentByAge.objects.filter(kindergarten=kindergarten).values_list("age", "children"))
    return classes, ages, SchoolClass.history.count(), EnrollmentByAge.history.count()


def enrolment_figures() -> list[tuple]:
    """Every stored enrolment snapshot figure for DAY (numerator and denominator per scope)."""
    compute_indicators(date=DAY)
    return sorted(
        IndicatorSnapshot.objects.filter(date=DAY).values_list("indicator", "scope_key", "numerator", "denominator")
    )


@pytest.fixture
def imported(kg_a, kg_c, bureau_official, year):
    statistics_import(file=workbook(valid_sheets()), user=bureau_official)
    return official(kg_a)


def url(kindergarten, year) -> str:
    return reverse("enrollment:report", args=[kindergarten.pk, year.start_year])


@pytest.mark.django_db
class TestDraftOverImportedFigures:
    def test_a_draft_changes_no_official_row_no_figure_and_no_history(self, client, director_a, kg_a, imported, year):
        figures = enrolment_figures()

        response = client_for(client, director_a).post(url(kg_a, year), report_data(OTHER_CLASSES, OTHER_AGES))
        again = client.post(url(kg_a, year), report_data(OTHER_CLASSES[:1], {3: 20}))

        assert (response.status_code, again.status_code) == (302, 302)
        assert official(kg_a) == imported
        assert imported[0] == IMPORTED_CLASSES
        assert enrolment_figures() == figures
        submission = EnrollmentSubmission.objects.get(kindergarten=kg_a)
        assert submission.status == SubmissionStatus.DRAFT
        assert submission.draft["classes"] == [["small", "小一班", 25, 20]]

    def test_the_form_starts_from_the_official_figures_and_says_so(self, client, director_a, kg_a, imported, year):
        page = client_for(client, director_a).get(url(kg_a, year))

        rows = [(f["name"].value(), f["enrolled"].value()) for f in page.context["formset"].forms if f.initial]
        assert rows == [("小一班", 24), ("大一班", 36)]
        assert page.context["age_form"]["age_5"].value() == 30
        assert "表单从正式数据开始" in page.content.decode()

    def test_a_saved_draft_is_what_the_form_shows_next_time(self, client, director_a, kg_a, imported, year):
        client_for(client, director_a).post(url(kg_a, year), report_data(OTHER_CLASSES, OTHER_AGES))

        page = client.get(url(kg_a, year))

        rows = [(f["name"].value(), f["enrolled"].value()) for f in page.context["formset"].forms if f.initial]
        assert rows == [("小一班", 20), ("大一班", 30)]
        assert "以下是您保存的草稿" in page.content.decode()
        assert page.context["totals"]["enrolled"] == 60  # the official figures, not the draft


@pytest.mark.django_db
class TestCorrections:
    def submit_other_figures(self, client, director, kindergarten, year):
        return client_for(client, director).post(
            url(kindergarten, year), report_data(OTHER_CLASSES, OTHER_AGES, action="submit")
        )

    def test_submitting_different_figures_files_a_correction_and_changes_nothing_yet(
        self, client, director_a, kg_a, imported, year
    ):
        figures = enrolment_figures()

        response = self.submit_other_figures(client, director_a, kg_a, year)

        assert response.status_code == 302
        submission = EnrollmentSubmission.objects.get(kindergarten=kg_a)
        assert submission.status == SubmissionStatus.CORRECTION
        assert (submission.submitted_by, submission.submitted_at is not None) == (director_a, True)
        assert official(kg_a) == imported
        assert enrolment_figures() == figures
        page = client.get(url(kg_a, year))
        assert page.context["editable"] is False
        assert "等待区教委审核" in page.content.decode()

    def test_the_bureau_sees_old_and_new_side_by_side_and_accepting_replaces_the_figures(
        self, client, director_a, bureau_official, kg_a, imported, year
    ):
        before = enrolment_figures()
        self.submit_other_figures(client, director_a, kg_a, year)

        page = client_for(client, bureau_official).get(url(kg_a, year))
        comparison = page.context["comparison"]
        by_name = {row["name"]: row for row in comparison["classes"]}
        assert by_name["小一班"]["old"][1:] == (25, 24)
        assert by_name["小一班"]["new"][1:] == (25, 20)
        assert by_name["小一班"]["changed"] is True
        assert comparison["totals"] == (60, 50)
        assert reverse("enrollment:correction_accept", args=[kg_a.pk, 2026]) in page.content.decode()

        response = client.post(reverse("enrollment:correction_accept", args=[kg_a.pk, 2026]))

        assert response.status_code == 302
        classes, ages, *_ = official(kg_a)
        assert classes == [("大一班", "senior", 35, 30), ("小一班", "small", 25, 20)]
        assert ages == {2: 0, 3: 20, 4: 0, 5: 25, 6: 5}
        assert enrolment_figures() != before
        submission = EnrollmentSubmission.objects.get(kindergarten=kg_a)
        assert (submission.status, submission.draft) == (SubmissionStatus.SUBMITTED, None)
        # The history shows both: the imported figures and the accepted correction, with who.
        history = SchoolClass.history.filter(name="小一班").order_by("history_date")
        assert [(h.history_type, h.enrolled, h.history_user) for h in history] == [
            ("+", 24, bureau_official),
            ("~", 20, bureau_official),
        ]
        assert history.last().history_change_reason == "采纳更正"
        reasons = [(h.history_user, h.history_change_reason) for h in submission.history.order_by("history_date")]
        assert reasons == [(director_a, "报送更正（待区教委审核）"), (bureau_official, "采纳更正")]

    def test_a_returned_correction_keeps_the_directors_figures_as_their_draft(
        self, client, director_a, bureau_official, kg_a, imported, year
    ):
        self.submit_other_figures(client, director_a, kg_a, year)

        client_for(client, bureau_official).post(reverse("enrollment:submission_return", args=[kg_a.pk, 2026]))

        submission = EnrollmentSubmission.objects.get(kindergarten=kg_a)
        assert submission.status == SubmissionStatus.DRAFT
        assert submission.draft["classes"][0] == ["small", "小一班", 25, 20]
        assert official(kg_a) == imported

    def test_submitting_the_official_figures_unchanged_needs_no_review(self, client, director_a, kg_a, imported, year):
        same = [{"class_type": t, "name": n, "approved_size": a, "enrolled": e} for n, t, a, e in IMPORTED_CLASSES]

        client_for(client, director_a).post(url(kg_a, year), report_data(same, {3: 24, 5: 30, 6: 6}, action="submit"))

        assert EnrollmentSubmission.objects.get(kindergarten=kg_a).status == SubmissionStatus.SUBMITTED
        assert official(kg_a) == imported

    def test_only_the_bureau_accepts_a_correction(self, client, director_a, wangjing_official, kg_a, imported, year):
        self.submit_other_figures(client, director_a, kg_a, year)
        accept = reverse("enrollment:correction_accept", args=[kg_a.pk, 2026])

        assert client_for(client, director_a).post(accept).status_code == 403
        assert client_for(client, wangjing_official).post(accept).status_code == 403
        assert official(kg_a) == imported


@pytest.mark.django_db
class TestReimport:
    def test_a_reimport_reports_drafts_and_pending_corrections_and_leaves_them_alone(
        self, client, director_a, kg_a, kg_c, bureau_official, imported, year
    ):
        client_for(client, director_a).post(url(kg_a, year), report_data(OTHER_CLASSES, OTHER_AGES, action="submit"))
        pending = EnrollmentSubmission.objects.get(kindergarten=kg_a).draft

        result = statistics_import(file=workbook(valid_sheets()), user=bureau_official)

        assert [(s.kindergarten, s.status) for s in result.pending] == [(kg_a, SubmissionStatus.CORRECTION)]
        submission = EnrollmentSubmission.objects.get(kindergarten=kg_a)
        assert (submission.status, submission.draft) == (SubmissionStatus.CORRECTION, pending)

    def test_the_upload_page_lists_them_with_links(self, client, director_a, kg_a, bureau_official, imported, year):
        client_for(client, director_a).post(url(kg_a, year), report_data(OTHER_CLASSES, OTHER_AGES))

        page = client_for(client, bureau_official).post(
            reverse("enrollment:statistics_import"), {"file": workbook(valid_sheets())}
        )

        html = page.content.decode()
        assert 'id="import-pending"' in html
        assert url(kg_a, year) in html
        assert "草稿" in html


@pytest.mark.django_db
class TestReportApi:
    def body(self, kindergarten, *, submit: bool) -> dict:
        return {
            "kindergarten": kindergarten.pk,
            "school_year": 2026,
            "classes": OTHER_CLASSES,
            "children_by_age": {str(age): n for age, n in OTHER_AGES.items()},
            "submit": submit,
        }

    def test_a_director_drafts_and_submits_a_correction_that_the_bureau_accepts(
        self, api_client, director_a, bureau_official, kg_a, imported, year
    ):
        api_client.force_authenticate(director_a)
        draft = api_client.post("/api/submissions/", self.body(kg_a, submit=False), format="json")
        assert draft.status_code == 201, draft.json()
        assert (draft.json()["status"], official(kg_a)) == ("draft", imported)

        submitted = api_client.post("/api/submissions/", self.body(kg_a, submit=True), format="json")
        assert submitted.json()["status"] == "correction"
        assert official(kg_a) == imported
        assert api_client.post(f"/api/submissions/{draft.json()['id']}/accept/").status_code == 403

        api_client.force_authenticate(bureau_official)
        accepted = api_client.post(f"/api/submissions/{draft.json()['id']}/accept/")

        assert accepted.status_code == 200
        assert accepted.json()["status"] == "submitted"
        assert official(kg_a)[0] == [("大一班", "senior", 35, 30), ("小一班", "small", 25, 20)]

    def test_it_refuses_a_submission_that_does_not_add_up_field_by_field(self, api_client, director_a, kg_a, year):
        api_client.force_authenticate(director_a)
        body = {**self.body(kg_a, submit=True), "children_by_age": {"3": 1}}

        response = api_client.post("/api/submissions/", body, format="json")

        assert response.status_code == 400
        assert "children_by_age" in response.json()
        assert not EnrollmentSubmission.objects.exists()

    def test_it_refuses_another_kindergartens_report(self, api_client, director_a, kg_b, year):
        api_client.force_authenticate(director_a)

        response = api_client.post("/api/submissions/", self.body(kg_b, submit=False), format="json")

        assert response.status_code == 400
        assert "kindergarten" in response.json()
        assert not EnrollmentSubmission.objects.exists()


@pytest.mark.django_db
class TestWhileACorrectionIsPending:
    @pytest.fixture
    def correction(self, client, director_a, kg_a, imported, year):
        client_for(client, director_a).post(url(kg_a, year), report_data(OTHER_CLASSES, OTHER_AGES, action="submit"))
        return EnrollmentSubmission.objects.get(kindergarten=kg_a)

    def test_nobody_overwrites_it_not_even_the_bureau_through_the_api(
        self, api_client, bureau_official, kg_a, imported, correction
    ):
        api_client.force_authenticate(bureau_official)
        body = {
            "kindergarten": kg_a.pk,
            "school_year": 2026,
            "classes": [{"class_type": "small", "name": "小一班", "approved_size": 25, "enrolled": 1}],
            "children_by_age": {"3": 1},
        }

        for submit in (False, True):
            response = api_client.post("/api/submissions/", {**body, "submit": submit}, format="json")
            assert response.status_code == 403
            assert "采纳或退回" in response.json()["detail"]
        correction.refresh_from_db()
        assert (correction.status, correction.draft["classes"][0]) == (
            SubmissionStatus.CORRECTION,
            ["small", "小一班", 25, 20],
        )
        assert official(kg_a) == imported

    def test_the_year_cannot_be_locked_until_it_is_decided(self, client, bureau_official, correction, year):
        response = client_for(client, bureau_official).post(reverse("enrollment:schoolyear_lock", args=[2026]))

        year.refresh_from_db()
        assert year.locked is False
        assert "待审核的更正" in client.get(response.url).content.decode()

    def test_the_tracker_counts_it_as_reported(self, client, bureau_official, correction, year):
        page = client_for(client, bureau_official).get(reverse("enrollment:tracker"), {"status": "submitted"})

        assert [kg.code for kg in page.context["object_list"]] == ["KGA0001"]

    def test_its_figures_are_no_secret_but_a_draft_is(
        self, api_client, wangjing_official, director_a, kg_a, correction
    ):
        api_client.force_authenticate(wangjing_official)
        assert api_client.get(f"/api/submissions/{correction.pk}/").json()["draft"] is not None

        EnrollmentSubmission.objects.filter(pk=correction.pk).update(status=SubmissionStatus.DRAFT)

        assert api_client.get(f"/api/submissions/{correction.pk}/").json()["draft"] is None
        api_client.force_authenticate(director_a)
        assert api_client.get(f"/api/submissions/{correction.pk}/").json()["draft"] is not None


@pytest.mark.django_db
class TestTheBureauEditsOfficialFigures:
    def test_it_starts_from_and_writes_the_official_figures_and_leaves_the_directors_draft(
        self, client, director_a, bureau_official, kg_a, imported, year
    ):
        client_for(client, director_a).post(url(kg_a, year), report_data(OTHER_CLASSES, OTHER_AGES))
        page = client_for(client, bureau_official).get(url(kg_a, year))
        rows = [(f["name"].value(), f["enrolled"].value()) for f in page.context["formset"].forms if f.initial]
        assert rows == [("小一班", 24), ("大一班", 36)]
        assert "园长另有一份未报送的草稿" in page.content.decode()

        same_but_one = [
            {"class_type": "small", "name": "小一班", "approved_size": 25, "enrolled": 25},
            {"class_type": "senior", "name": "大一班", "approved_size": 35, "enrolled": 36},
        ]
        mismatched = client.post(url(kg_a, year), report_data(same_but_one, {3: 24, 5: 30, 6: 6}))
        saved = client.post(url(kg_a, year), report_data(same_but_one, {3: 25, 5: 30, 6: 6}))

        assert (mismatched.status_code, saved.status_code) == (200, 302)  # official figures must add up
        assert official(kg_a)[0] == [("大一班", "senior", 35, 36), ("小一班", "small", 25, 25)]
        submission = EnrollmentSubmission.objects.get(kindergarten=kg_a)
        assert submission.status == SubmissionStatus.DRAFT
        assert submission.draft["classes"] == [["small", "小一班", 25, 20], ["senior", "大一班", 35, 30]]
