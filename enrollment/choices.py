from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClassType(models.TextChoices):
    TODDLER = "toddler", _("托班")
    SMALL = "small", _("小班")
    MIDDLE = "middle", _("中班")
    SENIOR = "senior", _("大班")
    MIXED = "mixed", _("混合班")


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")
    # The director submitted figures that differ from the official ones; they wait for the bureau.
    CORRECTION = "correction", _("更正待审核")


class PopulationBasis(models.TextChoices):
    RESIDENT = "resident", _("常住人口")
    REGISTERED = "registered", _("户籍人口")


class EnrollmentIndicator(StrEnum):
    """Codes of the enrolment and registry indicators: a public contract other systems rely on.

    Never rename one. Their declarations (labels, formulas, queries) are in `enrollment.indicators`.
    """

    GROSS_ENROLLMENT_RATE = "gross_enrollment_rate"
    INCLUSIVE_COVERAGE = "inclusive_coverage"
    PUBLIC_SHARE = "public_share"
    SEAT_UTILISATION = "seat_utilisation"
    CLASS_SIZE_COMPLIANCE = "class_size_compliance"
    UNLICENSED_OPEN = "unlicensed_open"
    FORECAST_SHORTFALL = "forecast_shortfall"
