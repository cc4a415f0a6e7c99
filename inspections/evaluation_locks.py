"""A published supervisory (external) evaluation is frozen by the models themselves.

Once the bureau has published an evaluation, no page, API call, service or shell session may
save or delete it, or save or delete one of its ratings or attachments: `Model.save()` and
`Model.delete()` (including `QuerySet.delete()` and cascades, which send `pre_delete` for every
row) raise `Locked`. Creating a row is never refused here, in any status: test builders and
imports create published evaluations directly. Bulk `QuerySet.update()` sends no signal and is
left to the services, which never use it on these models.

A refused delete is raised inside Django's deletion transaction, so, like a database error, it
spoils an enclosing `atomic` block unless that block has its own savepoint.

The receivers are connected in `InspectionsConfig.ready()`.
"""

from __future__ import annotations

from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from .choices import EvaluationStatus
from .models import ExternalEvaluation, ExternalEvaluationAttachment, ExternalRating, Locked

LOCKED_MESSAGE = _("已公布的督导评估不能修改或删除。")


def _any_published(evaluation_ids: set[int | None]) -> bool:
    evaluation_ids.discard(None)
    return bool(evaluation_ids) and (
        ExternalEvaluation._base_manager.filter(pk__in=evaluation_ids, status=EvaluationStatus.PUBLISHED).exists()
    )


@receiver(pre_save, sender=ExternalEvaluation, dispatch_uid="lock_published_evaluation_save")
@receiver(pre_delete, sender=ExternalEvaluation, dispatch_uid="lock_published_evaluation_delete")
def refuse_changing_a_published_evaluation(sender, instance: ExternalEvaluation, raw: bool = False, **kwargs) -> None:
    # A new row (no stored version) may be created in any status; fixtures load raw.
    if raw or instance.pk is None:
        return
    if _any_published({instance.pk}):
        raise Locked(LOCKED_MESSAGE)


def _refuse_changing_a_part(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    ids = {instance.evaluation_id}
    if instance.pk is not None:
        ids |= set(sender._base_manager.filter(pk=instance.pk).values_list("evaluation_id", flat=True))
    if _any_published(ids):
        raise Locked(LOCKED_MESSAGE)


for part in (ExternalRating, ExternalEvaluationAttachment):
    pre_save.connect(_refuse_changing_a_part, sender=part, dispatch_uid=f"lock_{part.__name__}_save")
    pre_delete.connect(_refuse_changing_a_part, sender=part, dispatch_uid=f"lock_{part.__name__}_delete")
