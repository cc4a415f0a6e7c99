"""Writes of the safety checks: the bureau's checklist templates and versions, and the checks.

Bureau staff (`Act.MANAGE`) keep the templates: a draft version is edited and published, a
published one is frozen (the models refuse changes) and copied into the next draft. A
kindergarten's director runs self-checks of their own kindergarten (`Act.FILL`); inspectors
(assigned kindergartens) and bureau staff run spot checks (`Act.ENFORCE`). A check is saved as a
draft as often as needed; submitting it needs every item answered, locks it, and opens one hazard
per failed item, pre-filled from the item, in the checker's name.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import Act, may, require
from kindergartens.models import Kindergarten

from ..choices import CheckKind, ChecklistStatus, CheckOutcome, CheckStatus
from ..models import (
    ChecklistItem,
    ChecklistTemplate,
    ChecklistVersion,
    CheckPhoto,
    CheckResult,
    Frozen,
    SafetyCheck,
)
from ..models.checks import FROZEN, group_by_category
from .common import store_file, validated_save
from .hazards import _create_hazard

REFUSE_CHECK = {
    CheckKind.SELF: gettext_lazy("只有本园园长可以填写园所自查。"),
    CheckKind.SPOT: gettext_lazy("只有负责该园的督学或区教委工作人员可以进行督导抽查。"),
}
CHECK_ACTION = {CheckKind.SELF: Act.FILL, CheckKind.SPOT: Act.ENFORCE}


# --- checklist templates -----------------------------------------------------------------------------


def _draft(version: ChecklistVersion) -> ChecklistVersion:
    version = ChecklistVersion._base_manager.select_for_update().select_related("template").get(pk=version.pk)
    if not version.is_draft:
        raise Frozen(FROZEN)
    return version


@transaction.atomic
def checklist_template_create(
    *, user, name: str, frequency: str, description: str = ""
) -> tuple[ChecklistTemplate, ChecklistVersion]:
    """A new template with an empty first draft, to be filled with items and published."""
    require(user, Act.MANAGE)
    template = validated_save(
        ChecklistTemplate(name=name.strip(), frequency=frequency, description=description.strip()), user
    )
    draft = validated_save(ChecklistVersion(template=template, number=1, created_by=user), user)
    return template, draft


@transaction.atomic
def checklist_template_update(
    *, template: ChecklistTemplate, user, name: str, frequency: str, description: str = ""
) -> ChecklistTemplate:
    """The template's name and frequency (its items are versioned; these are not)."""
    require(user, Act.MANAGE)
    template = ChecklistTemplate.objects.select_for_update().get(pk=template.pk)
    template.name, template.frequency, template.description = name.strip(), frequency, description.strip()
    return validated_save(template, user)


@transaction.atomic
def checklist_version_copy(*, version: ChecklistVersion, user) -> ChecklistVersion:
    """A new draft with the published version's items; one draft per template at a time."""
    require(user, Act.MANAGE)
    version = ChecklistVersion.objects.select_related("template").get(pk=version.pk)
    if not version.is_published:
        raise ValidationError(_("只能复制已发布的版本。"))
    template = ChecklistTemplate.objects.select_for_update().get(pk=version.template_id)
    if template.versions.filter(status=ChecklistStatus.DRAFT).exists():
        raise ValidationError(_("该检查表已有一个草稿版本，请先修改并发布它。"))
    number = (template.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = validated_save(
        ChecklistVersion(template=template, number=number, based_on=version, note=version.note, created_by=user), user
    )
    for item in version.items.all():
        validated_save(
            ChecklistItem(
                version=draft, category=item.category, text=item.text, order=item.order, severity=item.severity
            ),
            user,
        )
    return draft


@transaction.atomic
def checklist_version_update(*, version: ChecklistVersion, user, note: str) -> ChecklistVersion:
    require(user, Act.MANAGE)
    version = _draft(version)
    version.note = note.strip()
    return validated_save(version, user)


@transaction.atomic
def checklist_version_publish(*, version: ChecklistVersion, user) -> ChecklistVersion:
    """Freezes the draft; it becomes the version in force (the template's latest published one)."""
    require(user, Act.MANAGE)
    version = _draft(version)
    if not version.items.exists():
        raise ValidationError(_("该版本还没有任何检查项目，不能发布。"))
    version.status = ChecklistStatus.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = user if getattr(user, "pk", None) else None
    # The stored row is still a draft, so this last save is allowed; from now on the model refuses.
    return validated_save(version, user)


@transaction.atomic
def checklist_version_delete(*, version: ChecklistVersion, user) -> None:
    """Discards a draft (published versions stay for the checks answered against them)."""
    require(user, Act.MANAGE)
    version = _draft(version)
    version._history_user = user
    version.delete()


@transaction.atomic
def checklist_item_save(
    *,
    version: ChecklistVersion,
    user,
    category: str,
    text: str,
    severity: str,
    order: int | None = None,
    item: ChecklistItem | None = None,
) -> ChecklistItem:
    """Adds an item to a draft (at the end unless `order` says otherwise) or changes one of its items."""
    require(user, Act.MANAGE)
    version = _draft(version)
    if item is None:
        item = ChecklistItem(version=version)
    elif item.version_id != version.pk:
        raise ValidationError(_("该检查项目不属于这个版本。"))
    if order is None:
        order = item.order if item.pk else (version.items.aggregate(n=Max("order"))["n"] or 0) + 1
    item.category, item.text, item.severity, item.order = category, text.strip(), severity, order
    return validated_save(item, user)


@transaction.atomic
def checklist_item_delete(*, item: ChecklistItem, user) -> None:
    require(user, Act.MANAGE)
    _draft(item.version)
    item._history_user = user
    item.delete()


# --- checks ---------------------------------------------------------------------------------------------


def check_kind_for(user) -> str | None:
    """The kind of check the user runs: a director their kindergarten's self-check, inspectors and
    the bureau spot checks; None for those who run none."""
    if may(user, Act.FILL):
        return CheckKind.SELF
    if may(user, Act.ENFORCE):
        return CheckKind.SPOT
    return None


def may_run_check(user, kindergarten, kind: str) -> bool:
    return may(user, CHECK_ACTION[CheckKind(kind)], kindergarten)


def _require_checker(user, kindergarten, kind: str) -> None:
    if not may_run_check(user, kindergarten, kind):
        raise PermissionDenied(str(REFUSE_CHECK[CheckKind(kind)]))


def _locked_draft(safety_check: SafetyCheck, user) -> SafetyCheck:
    safety_check = (
        SafetyCheck.objects.select_for_update()
        .select_related("kindergarten", "version__template")
        .get(pk=safety_check.pk)
    )
    _require_checker(user, safety_check.kindergarten, safety_check.kind)
    if not safety_check.is_draft:
        raise Frozen(_("检查已提交，不能再修改。"))
    return safety_check


@transaction.atomic
def check_start(
    *,
    kindergarten: Kindergarten,
    version: ChecklistVersion,
    kind: str,
    user,
    checked_on: datetime.date | None = None,
    team: str = "",
) -> SafetyCheck:
    """A draft check of `kindergarten` against the version in force, with one unanswered result per item."""
    _require_checker(user, kindergarten, kind)
    if not ChecklistVersion.objects.in_force().filter(pk=version.pk).exists():
        raise ValidationError({"version": _("只能使用现行发布的检查表版本。")})
    safety_check = SafetyCheck(
        kindergarten=kindergarten,
        version=version,
        kind=kind,
        checked_on=checked_on or timezone.localdate(),
        team=team.strip(),
        created_by=user if getattr(user, "pk", None) else None,
    )
    validated_save(safety_check, user)
    for item in version.items.all():
        validated_save(CheckResult(safety_check=safety_check, item=item), user)
    return safety_check


@transaction.atomic
def check_save(
    *,
    safety_check: SafetyCheck,
    user,
    answers: Mapping[int, tuple[str, str]] | None = None,
    item_photos: Mapping[int, Iterable[UploadedFile]] | None = None,
    photos: Iterable[UploadedFile] = (),
    checked_on: datetime.date | None = None,
    team: str | None = None,
    findings: str | None = None,
) -> SafetyCheck:
    """Saves a draft: the heading, the answers given (item id → (outcome, note)) and new photos."""
    safety_check = _locked_draft(safety_check, user)
    if checked_on is not None:
        safety_check.checked_on = checked_on
    if team is not None:
        safety_check.team = team.strip()
    if findings is not None:
        safety_check.findings = findings.strip()
    validated_save(safety_check, user)
    results = {r.item_id: r for r in safety_check.results.all()}
    for item_id, (outcome, note) in (answers or {}).items():
        result = results.get(item_id)
        if result is None:
            raise ValidationError(_("检查项目不属于这次检查。"))
        if (result.outcome, result.note) != (outcome or "", note.strip()):
            result.outcome, result.note = outcome or "", note.strip()
            validated_save(result, user)
    for item_id, files in (item_photos or {}).items():
        if item_id not in results:
            raise ValidationError(_("检查项目不属于这次检查。"))
        for file in files:
            store_file(CheckPhoto(safety_check=safety_check, result=results[item_id]), file, user)
    for file in photos:
        store_file(CheckPhoto(safety_check=safety_check), file, user)
    return safety_check


def first_unanswered(safety_check: SafetyCheck) -> CheckResult | None:
    """Where the checker picks up again: the first item without an answer, in the page's order."""
    results = list(safety_check.results.select_related("item"))
    for _label, rows in group_by_category(results, key=lambda r: r.item):
        for result in rows:
            if not result.outcome:
                return result
    return None


def _copies(photos: Iterable[CheckPhoto]) -> list[ContentFile]:
    """The item's photos as new uploads for the hazard (each row owns its own stored file)."""
    copies = []
    for photo in photos:
        with photo.file.open("rb") as stored:
            copies.append(ContentFile(stored.read(), name=photo.original_name))
    return copies


@transaction.atomic
def check_submit(*, safety_check: SafetyCheck, user) -> SafetyCheck:
    """Locks the check and opens one hazard per failed item (category and default severity from the
    item, description from the item and the note, found on the check date, the item's photos)."""
    safety_check = _locked_draft(safety_check, user)
    results = list(safety_check.results.select_related("item").prefetch_related("photos"))
    groups = group_by_category(results, key=lambda r: r.item)
    missing = [str(r.number) for _label, rows in groups for r in rows if not r.outcome]
    if missing:
        raise ValidationError(
            _("还有 %(n)s 项未作答（第 %(items)s 项），全部作答后才能提交。")
            % {"n": len(missing), "items": "、".join(missing)}
        )
    kindergarten = safety_check.kindergarten
    for _label, rows in groups:
        for result in rows:
            if result.outcome != CheckOutcome.FAIL:
                continue
            item = result.item
            description = _("不符合：%(item)s") % {"item": item.text}
            if result.note:
                description = f"{description}\n{result.note}"
            result.hazard = _create_hazard(
                kindergarten=kindergarten,
                user=user,
                category=item.category,
                severity=item.severity,
                description=description,
                owner=kindergarten.principal or _("园长"),
                found_on=safety_check.checked_on,
                photos=_copies(result.photos.all()),
                note=_("由%(kind)s（%(template)s，%(day)s）第 %(number)s 项登记。")
                % {
                    "kind": safety_check.get_kind_display(),
                    "template": safety_check.version.template.name,
                    "day": safety_check.checked_on.isoformat(),
                    "number": result.number,
                },
            )
            validated_save(result, user)
    safety_check.status = CheckStatus.SUBMITTED
    safety_check.submitted_at = timezone.now()
    safety_check.submitted_by = user if getattr(user, "pk", None) else None
    return validated_save(safety_check, user)
