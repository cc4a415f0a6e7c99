"""No page a director or a parent uses scrolls sideways on a phone (390 × 844), in real Chromium.

The page list comes from the URL conf: every named URL is either a phone page below (visited, as
the demo director or, for the public portal, signed out) or excluded with its reason, and
`test_every_url_is_a_phone_page_or_excluded` fails on a URL that is neither — so a new director or
public page is visited from the day it exists (add it to PHONE_PAGES, or to EXCLUDED saying why).
The records the pages show come from the apps' own demo seeders over a small registry
(tests/e2e/pages.py). How to add a page: docs/ux.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.pages import DEMO_PASSWORD, World, demo_world

PHONE = {"width": 390, "height": 844}

# --- Which URLs are phone pages --------------------------------------------------------------

# URL prefixes outside the portal's pages altogether.
EXCLUDED_PREFIXES = {
    "admin/": "Django's admin site: the bureau's system administrators, on a desktop",
    "api/": "the JSON API, its schema and docs: programs and developers, not people on a phone",
}

BUREAU = "bureau, sub-district or inspector work, done on a desktop (not a director's or parent's page)"
FILE = "a file (xlsx, PDF, JSON, an attachment or photo), not a page"
ACTION = "a POST action answered by a redirect; its form is on a page visited here"
REDIRECT = "redirects to a page visited here"

# name -> the path to visit, given the world. "public:" pages are visited signed out.
PHONE_PAGES: dict[str, Callable[[World], str]] = {}
EXCLUDED: dict[str, str] = {}


def page(name: str, build: Callable[[World], str] | None = None) -> None:
    PHONE_PAGES[name] = build or (lambda w, name=name: reverse(name))


def excluded(reason: str, *names: str) -> None:
    for name in names:
        EXCLUDED[name] = reason


# Signing in and the account.
page("login")
page("password_change")
page("password_change_done")
page("home")
page("notifications:notification_list")
excluded(ACTION, "logout", "set_language", "notifications:notification_read_all", "notifications:notification_read")
excluded(REDIRECT, "notifications:notification_open", "favicon")

# The registry: the director's own kindergarten.
page("kindergartens:kindergarten_detail", lambda w: reverse("kindergartens:kindergarten_detail", args=[w.kg.pk]))
page("kindergartens:kindergarten_edit", lambda w: reverse("kindergartens:kindergarten_edit", args=[w.kg.pk]))
excluded(
    BUREAU,
    "kindergartens:kindergarten_add",
    "kindergartens:kindergarten_import",
    "kindergartens:estate_board",
    "kindergartens:estate_detail",
)
excluded(
    FILE,
    "kindergartens:kindergarten_map_data",
    "kindergartens:kindergarten_template",
    "kindergartens:kindergarten_export",
    "kindergartens:estate_export",
)

# Enrolment reports.
page("enrollment:mine")
page("enrollment:report", lambda w: reverse("enrollment:report", args=[w.kg.pk, w.year]))
excluded(REDIRECT, "enrollment:current_report")
excluded(
    BUREAU,
    "enrollment:schoolyear_list",
    "enrollment:schoolyear_add",
    "enrollment:schoolyear_edit",
    "enrollment:schoolyear_lock",
    "enrollment:statistics_import",
    "enrollment:population_edit",
)
excluded(ACTION, "enrollment:submission_return", "enrollment:correction_accept", "enrollment:schoolyear_unlock")
excluded(FILE, "enrollment:non_submitter_export", "enrollment:statistics_template", "enrollment:statistics_export")

# The dashboard and scorecards: bureau and sub-district officials.
excluded(
    BUREAU,
    "reports:dashboard",
    "reports:subdistrict_dashboard",
    "reports:shortfall_map",
    "reports:drilldown",
    "reports:warning_list",
    "reports:warning_detail",
    "reports:run_list",
    "scorecards:scorecard_list",
    "scorecards:scorecard_detail",
)
excluded(
    FILE, "reports:warning_export", "reports:indicator_export", "reports:report_pdf", "scorecards:scorecard_export"
)
excluded(
    "an HTML fragment the dashboard fetches into its page (static/js/dashboard_panels.js), not a page",
    "reports:dashboard_panel",
)
excluded("JSON polled by static/js/run_status.js on the runs list (bureau staff), not a page", "reports:run_status")
excluded(ACTION, "reports:compute_now", "scorecards:scorecard_compute", "scorecards:scorecard_publish")

# Quality evaluation.
page("inspections:index")
page("inspections:self_assessment_mine")
page("inspections:self_assessment_detail", lambda w: w.url_of("inspections.SelfAssessment"))
page(
    "inspections:self_assessment_edit",
    lambda w: reverse("inspections:self_assessment_edit", args=[w.pk_of("inspections.SelfAssessment", status="draft")]),
)
page(
    "inspections:self_assessment_versions",
    lambda w: reverse("inspections:self_assessment_versions", args=[w.pk_of("inspections.SelfAssessment")]),
)
page("inspections:issue_list")
page("inspections:issue_detail", lambda w: w.url_of("inspections.QualityIssue"))
page("inspections:trajectory", lambda w: reverse("inspections:trajectory", args=[w.kg.pk]))
page("inspections:order_list")
page("inspections:order_detail", lambda w: w.url_of("inspections.RectificationOrder"))
page(
    "inspections:order_answer",
    lambda w: reverse("inspections:order_answer", args=[w.pk_of("inspections.RectificationOrder")]),
)
excluded(
    BUREAU,
    "inspections:framework_edit",
    "inspections:point_add",
    "inspections:points_import",
    "inspections:point_edit",
    "inspections:cycle_add",
    "inspections:cycle_edit",
    "inspections:cycle_assign",
    "inspections:assignment_edit",
    "inspections:team_add",
    "inspections:team_detail",
    "inspections:team_edit",
    "inspections:team_assign",
    "inspections:external_evaluation_mine",
    "inspections:external_evaluation_detail",
    "inspections:external_evaluation_edit",
    "inspections:external_evaluation_compare",
    "inspections:issue_overdue",
    "inspections:issue_add",
    "inspections:issue_edit",
    "inspections:issue_from_self_assessment",
    "inspections:issue_from_external_evaluation",
    "inspections:results_overview",
    "inspections:order_add",
    "inspections:order_edit",
    "inspections:unlicensed_case_add",
    "inspections:unlicensed_case_detail",
    "inspections:unlicensed_case_edit",
    "inspections:conduct_case_add",
    "inspections:conduct_case_detail",
    "inspections:conduct_case_edit",
)
excluded(
    ACTION,
    "inspections:framework_copy",
    "inspections:framework_publish",
    "inspections:framework_delete",
    "inspections:point_delete",
    "inspections:point_move",
    "inspections:self_assessment_start",
    "inspections:self_assessment_review",
    "inspections:self_assessment_revise",
    "inspections:self_assessment_attachment_delete",
    "inspections:external_evaluation_review",
    "inspections:external_evaluation_attachment_delete",
    "inspections:issue_verify",
    "inspections:issue_report",
    "inspections:order_follow_up",
    "inspections:order_rectify",
    "inspections:order_penalise",
    "inspections:order_answer_accept",
    "inspections:order_answer_send_back",
    "inspections:unlicensed_case_transition",
    "inspections:conduct_case_close",
)
excluded(
    FILE,
    "inspections:points_export",
    "inspections:self_assessment_attachment",
    "inspections:external_evaluation_attachment",
    "inspections:issue_attachment",
    "inspections:results_export",
    "inspections:evaluation_report_pdf",
    "inspections:order_answer_file",
)

# The parents' portal, signed out.
page("public:index")
page("public:kindergarten_detail", lambda w: reverse("public:kindergarten_detail", args=[w.kg.code]))
excluded(FILE, "public:api_kindergartens", "public:api_kindergarten")

# Staff.
page("staff:index")
page("staff:member_list")
page("staff:kindergarten", lambda w: reverse("staff:kindergarten", args=[w.kg.pk]))
page("staff:member_add", lambda w: reverse("staff:member_add", args=[w.kg.pk]))
page("staff:member_edit", lambda w: reverse("staff:member_edit", args=[w.pk_of("staff.StaffMember")]))
page("staff:person_detail", lambda w: w.url_of("staff.Person"))
page("staff:person_edit", lambda w: reverse("staff:person_edit", args=[w.pk_of("staff.Person")]))
page("staff:certificate_expiry")
page("staff:training_list")
page("staff:title_application_list")
page("staff:ethics_list")
page("staff:ethics_self_check", lambda w: reverse("staff:ethics_self_check", args=[w.kg.pk]))
page("staff:pay_list")
page("staff:pay_edit", lambda w: reverse("staff:pay_edit", args=[w.kg.pk]))
excluded(
    BUREAU,
    "staff:import",
    "staff:principal_detail",
    "staff:principal_stage",
    "staff:course_add",
    "staff:course_edit",
    "staff:course_import",
    "staff:title_application_decide",
    "staff:research_cluster_add",
    "staff:research_team_add",
    "staff:research_activity_add",
    "staff:pairing_add",
    "staff:pairing_review",
    "staff:ethics_add",
)
excluded(ACTION, "staff:id_reveal")
excluded(FILE, "staff:export", "staff:import_template", "staff:course_template")

# Safety.
page("safety:index")
page("safety:profile_detail", lambda w: reverse("safety:profile_detail", args=[w.kg.pk]))
page("safety:profile_edit", lambda w: reverse("safety:profile_edit", args=[w.kg.pk]))
page("safety:drill_add", lambda w: reverse("safety:drill_add", args=[w.kg.pk]))
page("safety:hazard_list")
page("safety:hazard_overdue")
page("safety:hazard_detail", lambda w: w.url_of("safety.Hazard"))
page("safety:incident_list")
page("safety:incident_add")
page("safety:incident_detail", lambda w: w.url_of("safety.Incident"))
page("safety:incident_edit", lambda w: reverse("safety:incident_edit", args=[w.pk_of("safety.Incident")]))
page("safety:dispute_list")
page("safety:dispute_add")
page("safety:dispute_detail", lambda w: w.url_of("safety.Dispute"))
page("safety:dispute_edit", lambda w: reverse("safety:dispute_edit", args=[w.pk_of("safety.Dispute")]))
page("safety:footage_list")
page("safety:footage_add")
page("safety:footage_detail", lambda w: w.url_of("safety.FootageRequest"))
page("safety:post_list")
page("safety:post_add")
page("safety:post_coverage")
page("safety:post_edit", lambda w: reverse("safety:post_edit", args=[w.pk_of("safety.SafetyPost")]))
page("safety:check_list")
page("safety:check_add")
page("safety:check_detail", lambda w: w.url_of("safety.SafetyCheck"))
excluded(
    BUREAU,
    "safety:profile_import",
    "safety:rules_add",
    "safety:rules_edit",
    "safety:hazard_add",
    "safety:footage_correct",
    "safety:checklist_add",
    "safety:checklist_detail",
    "safety:checklist_edit",
    "safety:checklist_item_add",
    "safety:checklist_item_edit",
    "safety:supervision_open",
    "safety:supervision_detail",
    "safety:supervision_link",
    "safety:supervision_record",
)
excluded(
    ACTION,
    "safety:hazard_step",
    "safety:mediation_add",
    "safety:footage_step",
    "safety:checklist_version_step",
    "safety:checklist_item_delete",
    "safety:check_fill",
)
excluded(
    FILE,
    "safety:profile_export",
    "safety:profile_template",
    "safety:hazard_export",
    "safety:hazard_photo",
    "safety:incident_export",
    "safety:check_photo",
    "safety:supervision_file",
)

# Private kindergartens and money.
page("governance:index")
page("governance:recognition_list")
page("governance:recognition_apply")
page("governance:fee_filing_list")
page("governance:fee_filing_add")
page("governance:account_edit")
page("governance:summary_add")
page("governance:aid_list")
page("governance:aid_add")
excluded(
    BUREAU,
    "governance:recognition_detail",
    "governance:disbursement_add",
)
excluded(ACTION, "governance:recognition_step", "governance:fee_alert_resolve")
excluded(FILE, "governance:fee_filing_export", "governance:subsidy_export")

# The account page (tokens, two-factor sign-in) and the security log.
page("account_security")
page("otp_enrol")
page("otp_verify")
excluded(ACTION, "account_token_rotate", "account_token_revoke", "otp_disable")
excluded("a POST whose answer shows new recovery codes once; a plain list in the narrow card", "otp_recovery_codes")
excluded("the bureau administrator's security log, on a desktop", "security_events")

# Subsidy facts (new places, rented premises) and credit records.
page("governance:subsidy_facts")
page("governance:premises_add")
page("governance:credit_list")
CREDIT_JOURNEY = (
    "a private kindergarten's record: the world's director runs a public one; its director's pages are "
    "visited at 390 px by tests/e2e/test_credit_journey.py"
)
excluded(CREDIT_JOURNEY, "governance:credit_detail", "governance:credit_appeal")
excluded(
    BUREAU,
    "governance:new_place_add",
    "governance:credit_commend",
    "governance:credit_exit",
    "governance:credit_appeal_decide",
)
excluded(ACTION, "governance:credit_refresh")
excluded(FILE, "governance:credit_export")

# Staff: the development lists' exports and the bureau's cluster and team editing.
excluded(
    FILE,
    "staff:ethics_export",
    "staff:pairing_export",
    "staff:pay_export",
    "staff:principal_credits_export",
    "staff:research_export",
    "staff:title_application_export",
    "staff:training_export",
)
excluded(BUREAU, "staff:research_cluster_edit", "staff:research_team_edit")


# Pages a director can open though their work is elsewhere (the bureau's lists, reference data):
# a director who follows a link there must still not scroll sideways.
page("kindergartens:kindergarten_list")
page("kindergartens:name_compliance_report")
page("kindergartens:subdistrict_list")
page("enrollment:tracker")
page("enrollment:population_list")
page("inspections:framework_list")
page("inspections:cycle_list")
page("inspections:self_assessment_list")
page("inspections:self_assessment_overdue")
page("inspections:team_list")
page("inspections:external_evaluation_list")
page("inspections:unlicensed_case_list")
page("inspections:conduct_case_list")
page("staff:principal_list")
page("staff:principal_credits")
page("staff:principal_certificates")
page("staff:principal_reserve")
page("staff:course_list")
page("staff:training_add")
page("staff:title_application_add")
page("staff:research_list")
page("staff:pairing_list")
page("safety:rules_list")
page("safety:checklist_list")
page("safety:supervision_list")
page("governance:fee_alert_list")
page("governance:subsidies")
page(
    "kindergartens:subdistrict_detail",
    lambda w: reverse("kindergartens:subdistrict_detail", args=[w.kg.subdistrict_id]),
)
page(
    "inspections:framework_detail",
    lambda w: reverse("inspections:framework_detail", args=[w.pk_of("inspections.FrameworkVersion")]),
)
page(
    "inspections:cycle_detail",
    lambda w: reverse("inspections:cycle_detail", args=[w.pk_of("inspections.EvaluationCycle")]),
)
page(
    "staff:research_cluster_detail",
    lambda w: reverse("staff:research_cluster_detail", args=[w.pk_of("staff.ResearchCluster")]),
)
page("staff:pairing_detail", lambda w: reverse("staff:pairing_detail", args=[w.pk_of("staff.Pairing")]))
page("staff:pay_detail", lambda w: reverse("staff:pay_detail", args=[w.pk_of("staff.PayFiling")]))
page("safety:rules_detail", lambda w: reverse("safety:rules_detail", args=[w.pk_of("safety.SafetyRuleSet")]))
page(
    "safety:checklist_version", lambda w: reverse("safety:checklist_version", args=[w.pk_of("safety.ChecklistVersion")])
)
page("safety:footage_edit", lambda w: reverse("safety:footage_edit", args=[w.pk_of("safety.FootageRequest")]))
page(
    "governance:fee_filing_detail",
    lambda w: reverse("governance:fee_filing_detail", args=[w.pk_of("governance.FeeFiling")]),
)
page(
    "governance:fee_alert_detail",
    lambda w: reverse("governance:fee_alert_detail", args=[w.pk_of("governance.FeeAlert")]),
)


def url_names() -> Iterator[tuple[str, str]]:
    """(name, route) of every named URL outside EXCLUDED_PREFIXES."""

    def walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = f"{namespace}:{p.namespace}" if namespace and p.namespace else p.namespace or namespace
                yield from walk(p.url_patterns, prefix + str(p.pattern), inner)
            elif isinstance(p, URLPattern) and p.name:
                yield (f"{namespace}:{p.name}" if namespace else p.name), prefix + str(p.pattern)

    for name, route in walk(get_resolver().url_patterns):
        if not route.startswith(tuple(EXCLUDED_PREFIXES)):
            yield name, route


def test_every_url_is_a_phone_page_or_excluded():
    names = {name for name, _route in url_names()}
    unlisted = sorted(names - PHONE_PAGES.keys() - EXCLUDED.keys())
    assert not unlisted, (
        f"New URLs {unlisted}: list each in tests/e2e/test_overflow.py, as a phone page (PHONE_PAGES, "
        "visited at 390 px) if a director or a parent opens it, else in EXCLUDED with the reason."
    )
    assert not PHONE_PAGES.keys() & EXCLUDED.keys()
    gone = sorted((PHONE_PAGES.keys() | EXCLUDED.keys()) - names)
    assert not gone, f"No longer in the URL conf, remove from the lists: {gone}"


# --- The visit -------------------------------------------------------------------------------

OVERFLOW = "[document.documentElement.scrollWidth, window.innerWidth]"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_director_or_public_page_scrolls_sideways_on_a_phone(browser: Browser, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = demo_world()
    problems: list[str] = []
    public = {name: build for name, build in PHONE_PAGES.items() if name.startswith("public:") or name == "login"}
    signed_in = {name: build for name, build in PHONE_PAGES.items() if name not in public}
    for user, pages in ((None, public), (world.director, signed_in)):
        context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
        tab = context.new_page()
        if user is not None:
            tab.goto(f"{live_server.url}{reverse('login')}")
            tab.get_by_label("用户名").fill(user.username)
            tab.get_by_label("密码").fill(DEMO_PASSWORD)
            tab.get_by_role("button", name="登录").click()
            tab.wait_for_url(f"{live_server.url}/")
        for name, build in pages.items():
            try:
                path = build(world)
                response = tab.goto(f"{live_server.url}{path}")
            except (AssertionError, PlaywrightError) as error:
                problems.append(f"{name}: {str(error).splitlines()[0]}")
                continue
            if response is None or response.status != 200:
                problems.append(f"{name} {path}: HTTP {response.status if response else '—'}")
                continue
            tab.wait_for_load_state("load")
            width, window = tab.evaluate(OVERFLOW)
            if width > window:
                culprits = tab.evaluate(WIDEST)
                problems.append(f"{name} {path}: {width} px wide at {window} px ({culprits})")
        context.close()
    assert not problems, "\n".join(problems)


# The outermost elements sticking out past the window's right edge, for the failure message.
WIDEST = """() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > window.innerWidth + 1 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > window.innerWidth + 1)) {
      out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' ' + Math.round(r.right) + 'px');
    }
    if (out.length >= 4) break;
  }
  return out.join(', ');
}"""
