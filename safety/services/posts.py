"""The peak-hour roster (护学岗): kept by the kindergarten's director (own) or bureau staff."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy

from kindergartens.models import Kindergarten

from ..models import SafetyPost
from .common import validated_save
from .records import require_record_keeper

REFUSE = gettext_lazy("只有本园园长或区教委工作人员可以维护护学岗。")

POST_FIELDS = ("kind", "days", "start_time", "end_time", "people", "note", "active")


@transaction.atomic
def post_record(*, kindergarten: Kindergarten, user, **fields) -> SafetyPost:
    """A new post (fields: `POST_FIELDS`; `days` is a `choices.days_mask`)."""
    require_record_keeper(user, kindergarten, REFUSE)
    post = SafetyPost(kindergarten=kindergarten)
    for name in POST_FIELDS:
        if name in fields:
            setattr(post, name, fields[name])
    return validated_save(post, user)


@transaction.atomic
def post_update(*, post: SafetyPost, user, **fields) -> SafetyPost:
    """Changes a post (a post given up is set inactive, so its history stays)."""
    post = SafetyPost.objects.select_for_update().select_related("kindergarten").get(pk=post.pk)
    require_record_keeper(user, post.kindergarten, REFUSE)
    for name in POST_FIELDS:
        if name in fields:
            setattr(post, name, fields[name])
    return validated_save(post, user)
