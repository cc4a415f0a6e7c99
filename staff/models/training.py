"""Training: the course catalogue, each person's training records (hours and credits per year,
by level and mode), and teachers' professional-title applications."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import DistrictWideQuerySet, ScopedQuerySet
from kindergartens.models import Kindergarten

from ..choices import ProfessionalTitle, TitleApplicationStatus, TrainingLevel, TrainingMode, TrainingSource
from .people import Person


def _amount(label: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(label, max_digits=5, decimal_places=1, validators=[MinValueValidator(0)], **kwargs)


class Course(models.Model):
    """A course of the district's training catalogue."""

    title = models.CharField(_("课程名称"), max_length=200)
    hours = _amount(_("学时"))
    credits = _amount(_("学分"), default=0)
    level = models.CharField(_("培训层级"), max_length=16, choices=TrainingLevel.choices)
    mode = models.CharField(_("培训方式"), max_length=10, choices=TrainingMode.choices)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    organiser = models.CharField(_("主办单位"), max_length=100, blank=True)
    for_principals = models.BooleanField(_("园长培训"), default=False, help_text=_("计入园长学分"))
    history = HistoricalRecords()

    objects = DistrictWideQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("培训课程")
        verbose_name_plural = _("培训课程")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})


class TrainingRecordQuerySet(ScopedQuerySet):
    def in_year(self, year: int) -> TrainingRecordQuerySet:
        return self.filter(attended_on__year=year)


class TrainingRecord(models.Model):
    """A person's attendance of one training (a catalogue course, a research activity or other)."""

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="trainings")
    # The kindergarten the person attended for (who may see and keep the record).
    kindergarten = models.ForeignKey(
        Kindergarten, verbose_name=_("幼儿园"), on_delete=models.PROTECT, related_name="staff_trainings"
    )
    course = models.ForeignKey(
        Course, verbose_name=_("课程"), on_delete=models.PROTECT, null=True, blank=True, related_name="attendances"
    )
    activity = models.ForeignKey(
        "staff.ResearchActivity",
        verbose_name=_("教研活动"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="training_records",
    )
    title = models.CharField(_("培训内容"), max_length=200)
    attended_on = models.DateField(_("培训日期"))
    hours = _amount(_("学时"))
    credits = _amount(_("学分"), default=0)
    level = models.CharField(_("培训层级"), max_length=16, choices=TrainingLevel.choices)
    mode = models.CharField(_("培训方式"), max_length=10, choices=TrainingMode.choices)
    source = models.CharField(
        _("来源"), max_length=12, choices=TrainingSource.choices, default=TrainingSource.INDIVIDUAL
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = TrainingRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-attended_on", "person__name", "pk"]
        verbose_name = _("培训记录")
        verbose_name_plural = _("培训记录")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "course"],
                condition=models.Q(course__isnull=False),
                name="staff_one_attendance_per_course",
                violation_error_message=_("此人已登记参加该课程。"),
            ),
            models.UniqueConstraint(
                fields=["person", "activity"],
                condition=models.Q(activity__isnull=False),
                name="staff_one_attendance_per_activity",
                violation_error_message=_("此人已登记参加该教研活动。"),
            ),
        ]
        indexes = [models.Index(fields=["person", "attended_on"], name="staff_training_person_day")]

    def __str__(self) -> str:
        return f"{self.person} · {self.title}"

    def clean(self) -> None:
        course = self.course
        if course and self.attended_on and not course.starts_on <= self.attended_on <= course.ends_on:
            raise ValidationError(
                {
                    "attended_on": _("培训日期应在课程日期 %(start)s 至 %(end)s 之间。")
                    % {"start": course.starts_on.isoformat(), "end": course.ends_on.isoformat()}
                }
            )


class TitleApplicationQuerySet(ScopedQuerySet):
    pass


class TitleApplication(models.Model):
    """A teacher's application for a professional title: applied, then approved or refused."""

    person = models.ForeignKey(
        Person, verbose_name=_("申报人"), on_delete=models.CASCADE, related_name="title_applications"
    )
    kindergarten = models.ForeignKey(Kindergarten, verbose_name=_("幼儿园"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("申报职称"), max_length=16, choices=ProfessionalTitle.choices)
    applied_on = models.DateField(_("申报日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=TitleApplicationStatus.choices, default=TitleApplicationStatus.APPLIED
    )
    decided_on = models.DateField(_("评审日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = TitleApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-applied_on", "pk"]
        verbose_name = _("职称申报")
        verbose_name_plural = _("职称申报")

    def __str__(self) -> str:
        return f"{self.person} · {self.get_title_display()}"

    def get_absolute_url(self) -> str:
        return reverse("staff:title_application_list")

    def clean(self) -> None:
        errors: dict[str, list] = {}
        decided = self.status != TitleApplicationStatus.APPLIED
        if decided and not self.decided_on:
            errors.setdefault("decided_on", []).append(_("请填写评审日期。"))
        if not decided and self.decided_on:
            errors.setdefault("decided_on", []).append(_("尚未评审的申报不应有评审日期。"))
        if self.decided_on and self.applied_on and self.decided_on < self.applied_on:
            errors.setdefault("decided_on", []).append(_("评审日期不能早于申报日期。"))
        if self.title in (ProfessionalTitle.NONE, ProfessionalTitle.OTHER):
            errors.setdefault("title", []).append(_("请选择申报的教师职称。"))
        if errors:
            raise ValidationError(errors)
