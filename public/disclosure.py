"""What a kindergarten's public page and the JSON endpoint show: the disclosure list (信息公示清单).

One definition serves the HTML page and the API, so both show exactly the same fields:
licence, type, sponsor, fees filed (latest filing, with the effective senior-year fee after the
final-year waiver), capacity, toddler classes, published evaluation results and the inclusive
recognition, and the kindergarten's current credit level (信用等级; private kindergartens rated by
`governance.services.credit_refresh` — never the sponsor's or the principal's, never the events;
while a pending appeal may change the level, no level: 评定复核中).
Nothing personal: no principal, no staff, no children, no bank account, no filer.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.choices import FeeItemKind
from governance.models import CreditRecord, FeeFiling
from governance.selectors import credit_level_under_review, senior_year_fee
from inspections import results
from kindergartens.models import Kindergarten

from .search import TYPES, public_type

# The fields each output carries, in order: the tests hold the outputs to exactly these.
LIST_KEYS = (
    "code",
    "name",
    "subdistrict",
    "address",
    "latitude",
    "longitude",
    "type",
    "type_label",
    "sponsor_type",
    "licence_status",
    "approved_capacity",
    "has_toddler_classes",
    "care_fee_monthly",
    "fee_school_year",
    "latest_grade",
    "latest_cycle",
    "distance_km",
    "url",
    "api_url",
)
DETAIL_KEYS = (*LIST_KEYS[:-3], "phone", "recognition", "credit", "fees", "evaluations", "url")
FEE_KEYS = ("school_year", "grade", "filed_on", "items", "senior_year_care_fee")
FEE_ITEM_KEYS = ("item", "label", "description", "monthly_amount")
SENIOR_KEYS = ("filed", "deduction", "effective")
EVALUATION_KEYS = ("cycle", "grade", "grade_label", "visit_date", "published_at", "summary")
RECOGNITION_KEYS = ("recognised_on", "valid_until")
CREDIT_KEYS = ("level", "label", "rated_on", "under_review")

DETAIL_FIELDS = (
    "id",
    "code",
    "name",
    "address",
    "latitude",
    "longitude",
    "phone",
    "sponsor_type",
    "inclusive_status",
    "recognition_date",
    "recognition_expiry",
    "licence_status",
    "approved_capacity",
    "has_toddler_classes",
    "subdistrict__name",
)


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def _coordinate(value) -> float | None:
    return None if value is None else float(value)


def list_item(kg: Kindergarten) -> dict:
    """One search result (the row must come from `annotate_rows`)."""
    return {
        "code": kg.code,
        "name": kg.name,
        "subdistrict": kg.subdistrict.name,
        "address": kg.address,
        "latitude": _coordinate(kg.latitude),
        "longitude": _coordinate(kg.longitude),
        "type": kg.public_type,
        "type_label": str(kg.public_type_label),
        "sponsor_type": kg.get_sponsor_type_display(),
        "licence_status": kg.get_licence_status_display(),
        "approved_capacity": kg.approved_capacity,
        "has_toddler_classes": kg.has_toddler_classes,
        "care_fee_monthly": _money(kg.care_fee),
        "fee_school_year": kg.fee_school_year,
        "latest_grade": kg.latest_grade,
        "latest_cycle": kg.latest_cycle_name,
        "distance_km": kg.distance_km,
        "url": reverse("public:kindergarten_detail", args=[kg.code]),
        "api_url": reverse("public:api_kindergarten", args=[kg.code]),
    }


def get_public_kindergarten(code: str) -> Kindergarten:
    """The kindergarten with a public page, or Kindergarten.DoesNotExist (closed, unlicensed, unknown)."""
    return results.public_kindergartens().only(*DETAIL_FIELDS).get(code=code)


def latest_filing(kg: Kindergarten) -> FeeFiling | None:
    return (
        FeeFiling.objects.filter(kindergarten=kg)
        .only("id", "school_year", "grade", "filed_on", "kindergarten_id")
        .prefetch_related("items")
        .order_by("-school_year")
        .first()
    )


def disclosure(kg: Kindergarten) -> dict:
    """The disclosure list of one kindergarten, as plain data (the page renders it, the API returns it)."""
    day = timezone.localdate()
    kind = public_type(kg, day)
    filing = latest_filing(kg)
    fees = None
    if filing is not None:
        filing.kindergarten = kg
        items = sorted(filing.items.all(), key=lambda i: list(FeeItemKind.values).index(i.item))
        care = next((i.monthly_amount for i in items if i.item == FeeItemKind.CARE_EDUCATION), None)
        senior = senior_year_fee(filing, care)
        fees = {
            "school_year": filing.school_year_label,
            "grade": filing.get_grade_display(),
            "filed_on": filing.filed_on.isoformat(),
            "items": [
                {
                    "item": i.item,
                    "label": i.get_item_display(),
                    "description": i.description,
                    "monthly_amount": _money(i.monthly_amount),
                }
                for i in items
            ],
            "senior_year_care_fee": None
            if senior is None
            else {
                "filed": _money(senior.filed),
                "deduction": _money(senior.deduction),
                "effective": _money(senior.effective),
            },
        }
    recognition = None
    if kind == "inclusive" or (not kg.is_public and kg.recognition_date):
        recognition = {
            "recognised_on": kg.recognition_date.isoformat() if kg.recognition_date else None,
            "valid_until": kg.recognition_expiry.isoformat() if kg.recognition_expiry else None,
        }
    record = CreditRecord.objects.filter(kindergarten=kg).exclude(level="").select_related("rule").first()
    credit = None
    if record is not None and credit_level_under_review(record):
        # Not published while the kindergarten's appeal may still change it (the bureau's decision
        # comes first): the page and the API say it is under review, and nothing more.
        credit = {"level": None, "label": _("评定复核中"), "rated_on": None, "under_review": True}
    elif record is not None:
        credit = {
            "level": record.level,
            "label": str(record.get_level_display()),
            "rated_on": record.computed_on.isoformat() if record.computed_on else None,
            "under_review": False,
        }
    evaluations = [
        {
            "cycle": r.cycle.name,
            "grade": r.grade,
            "grade_label": r.get_grade_display(),
            "visit_date": r.visit_date.isoformat() if r.visit_date else None,
            "published_at": r.published_at.date().isoformat() if r.published_at else None,
            "summary": r.summary,
        }
        for r in results.published_results(kg)
    ]
    latest = evaluations[0] if evaluations else None
    return {
        "code": kg.code,
        "name": kg.name,
        "subdistrict": kg.subdistrict.name,
        "address": kg.address,
        "latitude": _coordinate(kg.latitude),
        "longitude": _coordinate(kg.longitude),
        "type": kind,
        "type_label": str(TYPES[kind]),
        "sponsor_type": kg.get_sponsor_type_display(),
        "licence_status": kg.get_licence_status_display(),
        "approved_capacity": kg.approved_capacity,
        "has_toddler_classes": kg.has_toddler_classes,
        "care_fee_monthly": fees
        and next((i["monthly_amount"] for i in fees["items"] if i["item"] == "care_education"), None),
        "fee_school_year": filing.school_year if filing else None,
        "latest_grade": latest and latest["grade"],
        "latest_cycle": latest and latest["cycle"],
        "phone": kg.phone,
        "recognition": recognition,
        "credit": credit,
        "fees": fees,
        "evaluations": evaluations,
        "url": reverse("public:kindergarten_detail", args=[kg.code]),
    }
