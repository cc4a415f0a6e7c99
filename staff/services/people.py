"""Writes to people, their posts and certificates: the director (own kindergarten) or the bureau.

A national ID number enters here once: it is validated, hashed, encrypted and cut to its last four
(`staff.identity`); only `id_reveal` turns it back into the number, for a bureau administrator,
and records that it did.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.permissions import Act, require
from accounts.scoping import CHANGE
from common.saving import validated_save
from kindergartens.models import Kindergarten

from .. import identity
from ..models import Certificate, IdReveal, Person, StaffMember
from .common import require_keeper

PERSON_FIELDS = ("name", "gender", "birth_date", "education", "professional_title")
POST_FIELDS = ("role", "establishment", "full_time", "hired_on")
CERTIFICATE_FIELDS = ("kind", "number", "issued_on", "expires_on")


def _require_person_keeper(user, person: Person) -> None:
    if not Person.objects.restrict(user, CHANGE).filter(pk=person.pk).exists():
        raise PermissionDenied(_("只有此人现任职幼儿园的园长或区教委工作人员可以修改其信息。"))


def _id_error(message) -> ValidationError:
    return ValidationError({"id_number": [message]})


def person_for_number(number: str) -> Person | None:
    """The person registered with this (validated) number, locked for the transaction."""
    return Person.objects.select_for_update().filter(id_hash=identity.id_hash(number)).first()


@transaction.atomic
def staff_member_add(
    *,
    kindergarten: Kindergarten,
    user,
    id_number: str,
    person: Mapping[str, Any],
    post: Mapping[str, Any],
    certificates: Iterable[Mapping[str, Any]] = (),
) -> StaffMember:
    """A post at `kindergarten` for the person with `id_number`: the existing person if the number
    is already registered (their history across kindergartens continues), else a new one.

    An existing person keeps their recorded details; a different name is refused, since it more
    likely means a mistyped number than a new name.
    """
    require_keeper(user, kindergarten)
    try:
        number = identity.validate(id_number)
    except ValidationError as error:
        raise _id_error(error.messages[0]) from error
    existing = person_for_number(number)
    if existing is not None:
        if existing.name != person["name"].strip():
            raise _id_error(_("该身份证号码已登记为另一姓名的人员，请核对号码或姓名。"))
        holder = existing
        if holder.birth_date is None and person.get("birth_date"):
            holder.birth_date = person["birth_date"]
            validated_save(holder, user)
    else:
        holder = Person(**{name: person.get(name) for name in PERSON_FIELDS if name in person})
        holder.name = holder.name.strip()
        for name, value in identity.protected(number).items():
            setattr(holder, name, value)
        validated_save(holder, user)
    member = StaffMember(person=holder, kindergarten=kindergarten, **{name: post[name] for name in POST_FIELDS})
    validated_save(member, user)
    _certificates_add(holder, certificates, user)
    return member


def _certificates_add(person: Person, rows: Iterable[Mapping[str, Any]], user) -> None:
    held = set(person.certificates.values_list("kind", "number"))
    for row in rows:
        if (row["kind"], row["number"]) in held:  # already recorded (e.g. at a previous kindergarten)
            continue
        validated_save(Certificate(person=person, **{name: row.get(name) for name in CERTIFICATE_FIELDS}), user)
        held.add((row["kind"], row["number"]))


@transaction.atomic
def person_update(*, person: Person, user, id_number: str = "", **fields) -> Person:
    """Changes a person's details; a non-empty `id_number` corrects their number."""
    _require_person_keeper(user, person)
    person = Person.objects.select_for_update().get(pk=person.pk)
    for name in PERSON_FIELDS:
        if name in fields:
            setattr(person, name, fields[name])
    if id_number:
        try:
            number = identity.validate(id_number)
        except ValidationError as error:
            raise _id_error(error.messages[0]) from error
        other = Person.objects.filter(id_hash=identity.id_hash(number)).exclude(pk=person.pk)
        if other.exists():
            raise _id_error(_("该身份证号码已登记为另一人员。"))
        for name, value in identity.protected(number).items():
            setattr(person, name, value)
    return validated_save(person, user)


@transaction.atomic
def certificates_save(*, person: Person, user, rows: Iterable[Mapping[str, Any]]) -> None:
    """Applies the certificate rows of the edit form: a row with an ``id`` changes (or, with
    ``delete``, removes) that certificate of the person; a row without one adds a certificate."""
    _require_person_keeper(user, person)
    own = {c.pk: c for c in Certificate.objects.select_for_update().filter(person=person)}
    for row in rows:
        pk = row.get("id")
        if pk and pk not in own:
            raise PermissionDenied(_("证书不属于此人。"))
        if pk and row.get("delete"):
            certificate = own.pop(pk)
            certificate._history_user = user
            certificate.delete()
            continue
        if row.get("delete"):
            continue
        certificate = own[pk] if pk else Certificate(person=person)
        for name in CERTIFICATE_FIELDS:
            setattr(certificate, name, row.get(name))
        validated_save(certificate, user)


@transaction.atomic
def staff_member_update(*, member: StaffMember, user, **fields) -> StaffMember:
    """Changes a post (role, establishment, full time, dates); `left_on` ends it."""
    require_keeper(user, member.kindergarten)
    member = StaffMember.objects.select_for_update().get(pk=member.pk)
    for name in (*POST_FIELDS, "left_on"):
        if name in fields:
            setattr(member, name, fields[name])
    return validated_save(member, user)


@transaction.atomic
def id_reveal(*, person: Person, user, reason: str) -> str:
    """The whole number, for a bureau administrator, with a record of who saw it, when and why."""
    require(user, Act.ADMINISTER, message=_("只有区教委管理员可以查看完整身份证号码。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写查看事由。")]})
    IdReveal.objects.create(person=person, revealed_by=user, reason=reason[:200])
    return identity.decrypt(person.id_encrypted)
