"""The bureau loads or corrects a whole district's staff from one workbook: all rows or none.

Each row is a post: the person (matched by the keyed hash of their ID number), the kindergarten
(matched by code), the post's details and up to four certificates. Every row is read and checked
first — cells, ID numbers, model rules, repeats within the file — and nothing is written unless all
are good (`ImportRejected` lists each row, column and reason). Then, in one transaction, new
people, posts and certificates are bulk-created and changed ones bulk-updated, each with a history
row naming the user; an unchanged row writes nothing, so re-importing a file changes nothing.

Queries do not grow with the rows: people, posts and certificates are each loaded in a few
chunked IN queries, and written in batches. A post missing from the file is left as it is
(ending a post is a leaving date in the file or on the page, never a side effect of absence).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.permissions import Act, require
from common.gc import gc_paused
from common.spreadsheets import ImportRejected, RowError, get_sheet, opened_workbook, parse_rows, read_rows

from .. import identity
from ..models import Certificate, Person, StaffMember
from ..spreadsheets import (
    CERTIFICATE_PARTS,
    CHANGE_REASON,
    SHEET_TITLE,
    WORKBOOK_CERTIFICATES,
    certificate_field,
    staff_columns,
)

PERSON_FIELDS = ("name", "gender", "birth_date", "education", "professional_title")
POST_FIELDS = ("role", "establishment", "full_time", "hired_on", "left_on")
CHUNK = 900  # below SQLite's oldest limit on query parameters


@dataclasses.dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    people_created: int
    certificates_written: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def _chunks(values: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _headers() -> dict[str, str]:
    return {c.field: c.header for c in staff_columns()}


def _clean(instance, row: int, skip: Iterable[str], errors: list[RowError], headers: dict[str, str]) -> None:
    """`full_clean` without queries: foreign keys were resolved by the import, uniqueness is
    checked on the file as a whole."""
    try:
        instance.full_clean(exclude=["person", "kindergarten"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            if field not in skip:
                errors.extend(RowError(row, headers.get(field, ""), m) for m in messages)


@dataclasses.dataclass
class _Line:
    number: int
    values: dict[str, Any]
    failed: set[str]
    number_hash: str = ""
    id_number: str = ""


def _read(file) -> tuple[list[_Line], list[RowError]]:
    columns = staff_columns()
    with opened_workbook(file) as workbook:
        rows = read_rows(get_sheet(workbook, SHEET_TITLE if SHEET_TITLE in workbook.sheetnames else None), columns)
    parsed, errors = parse_rows(rows, columns)
    headers = _headers()
    lines: list[_Line] = []
    for row in parsed:
        line = _Line(row.number, row.values, row.failed)
        if "id_number" not in row.failed:
            try:
                line.id_number = identity.validate(row.values["id_number"])
                line.number_hash = identity.id_hash(line.id_number)
            except ValidationError as error:
                errors.append(RowError(row.number, headers["id_number"], error.messages[0]))
                line.failed.add("id_number")
        for kind in WORKBOOK_CERTIFICATES:
            number, issued = (row.values.get(certificate_field(kind, p)) for p in ("number", "issued_on"))
            if number and issued is None and certificate_field(kind, "issued_on") not in row.failed:
                errors.append(
                    RowError(row.number, headers[certificate_field(kind, "issued_on")], _("填写了证书编号时不能为空。"))
                )
            if not number and any(row.values.get(certificate_field(kind, p)) for p in ("issued_on", "expires_on")):
                errors.append(
                    RowError(row.number, headers[certificate_field(kind, "number")], _("填写了证书日期时不能为空。"))
                )
        lines.append(line)
    return lines, errors


def _load(
    lines: Sequence[_Line],
) -> tuple[dict[str, Person], dict[int, list[StaffMember]], dict[int, list[Certificate]]]:
    hashes = sorted({line.number_hash for line in lines if line.number_hash})
    people: dict[str, Person] = {}
    for chunk in _chunks(hashes):
        people.update((p.id_hash, p) for p in Person.objects.filter(id_hash__in=chunk))
    ids = sorted(p.pk for p in people.values())
    posts: dict[int, list[StaffMember]] = {}
    certificates: dict[int, list[Certificate]] = {}
    for chunk in _chunks(ids):
        for post in StaffMember.objects.filter(person_id__in=chunk).order_by("pk"):
            posts.setdefault(post.person_id, []).append(post)
        for certificate in Certificate.objects.filter(person_id__in=chunk).order_by("pk"):
            certificates.setdefault(certificate.person_id, []).append(certificate)
    return people, posts, certificates


def _post_for(existing: list[StaffMember], kindergarten_id: int, values: dict[str, Any]) -> StaffMember | None:
    """The person's current post at the kindergarten, else their past post there with the same
    hiring date, else none (a new post)."""
    here = [p for p in existing if p.kindergarten_id == kindergarten_id]
    current = next((p for p in here if p.left_on is None), None)
    return current or next((p for p in here if p.hired_on == values.get("hired_on")), None)


def _changed(instance, fields: Iterable[str], values: dict[str, Any]) -> bool:
    changed = False
    for name in fields:
        if getattr(instance, name) != values[name]:
            setattr(instance, name, values[name])
            changed = True
    return changed


@transaction.atomic
def import_staff(*, file, user) -> ImportResult:
    """Validates the whole workbook, then writes it in one transaction (see the module's doc)."""
    require(user, Act.MANAGE)
    with gc_paused():
        return _import(file, user)


def _import(file, user) -> ImportResult:
    lines, errors = _read(file)
    headers = _headers()
    people, posts, certificates = _load(lines)

    new_people: dict[str, Person] = {}
    changed_people: dict[int, Person] = {}
    person_rows: dict[str, tuple[int, dict[str, Any]]] = {}
    post_keys: dict[tuple[str, int], int] = {}
    new_posts: list[StaffMember] = []
    changed_posts: list[StaffMember] = []
    new_certificates: list[Certificate] = []
    changed_certificates: dict[int, Certificate] = {}
    # Per person (by identity: new people have no key yet), their certificates by (kind, number).
    held_by_person: dict[int, dict[tuple[str, str], Certificate]] = {}
    unchanged = 0

    for line in lines:
        values, failed = line.values, line.failed
        person_values = {name: values.get(name) for name in PERSON_FIELDS}
        person_values["professional_title"] = person_values["professional_title"] or "none"
        if line.number_hash:
            first = person_rows.setdefault(line.number_hash, (line.number, person_values))
            if first[0] != line.number and first[1] != person_values:
                errors.append(
                    RowError(
                        line.number,
                        headers["name"],
                        _("同一身份证号码在第 %(row)d 行的个人信息与本行不同。") % {"row": first[0]},
                    )
                )
                continue
        kindergarten = values.get("kindergarten")
        if line.number_hash and kindergarten is not None:
            key = (line.number_hash, kindergarten.pk)
            if key in post_keys:
                errors.append(
                    RowError(
                        line.number,
                        headers["id_number"],
                        _("与第 %(row)d 行是同一人在同一幼儿园的岗位。") % {"row": post_keys[key]},
                    )
                )
                continue
            post_keys[key] = line.number

        # The person.
        person = people.get(line.number_hash) or new_people.get(line.number_hash)
        person_changed = False
        if person is None:
            person = Person(**person_values)
            if line.id_number:
                for name, value in identity.protected(line.id_number).items():
                    setattr(person, name, value)
                new_people[line.number_hash] = person
            _clean(person, line.number, failed, errors, headers)
        elif person.pk and person.pk not in changed_people and _changed(person, PERSON_FIELDS, person_values):
            person_changed = True
            changed_people[person.pk] = person
            _clean(person, line.number, failed, errors, headers)

        # The post.
        post_values = {name: values.get(name) for name in POST_FIELDS}
        post = _post_for(posts.get(person.pk, []), kindergarten.pk, post_values) if person.pk and kindergarten else None
        post_changed = False
        if post is None:
            post = StaffMember(person=person, kindergarten=kindergarten, **post_values)
            new_posts.append(post)
            _clean(post, line.number, failed, errors, headers)
        elif _changed(post, POST_FIELDS, post_values):
            post_changed = True
            changed_posts.append(post)
            _clean(post, line.number, failed, errors, headers)

        # The certificates.
        held = held_by_person.get(id(person))
        if held is None:
            held = {(c.kind, c.number): c for c in certificates.get(person.pk, [])} if person.pk else {}
            held_by_person[id(person)] = held
        certificates_changed = False
        for kind in WORKBOOK_CERTIFICATES:
            cert_values = {part: values.get(certificate_field(kind, part)) for part in CERTIFICATE_PARTS}
            if not cert_values["number"]:
                continue
            certificate = held.get((kind, cert_values["number"]))
            if certificate is None:
                certificate = Certificate(person=person, kind=kind, **cert_values)
                new_certificates.append(certificate)
                held[(kind, cert_values["number"])] = certificate
            elif not _changed(certificate, ("issued_on", "expires_on"), cert_values):
                continue
            elif certificate.pk:
                changed_certificates[certificate.pk] = certificate
            certificates_changed = True
            skip = {f.removeprefix(f"certificate_{kind}_") for f in failed if f.startswith(f"certificate_{kind}_")}
            try:
                certificate.full_clean(exclude=["person"], validate_unique=False, validate_constraints=False)
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    if field not in skip:
                        header = headers.get(certificate_field(kind, field), "")
                        errors.extend(RowError(line.number, header, m) for m in messages)

        if person.pk and not (person_changed or post.pk is None or post_changed or certificates_changed):
            unchanged += 1

    if errors:
        order = {h: i for i, h in enumerate(headers.values())}
        raise ImportRejected(sorted(set(errors), key=lambda e: (e.row, order.get(e.column, -1), e.message)))

    history = {"default_user": user, "default_change_reason": CHANGE_REASON, "batch_size": 500}
    if new_people:
        bulk_create_with_history(list(new_people.values()), Person, **history)
    if changed_people:
        bulk_update_with_history(list(changed_people.values()), Person, list(PERSON_FIELDS), **history)
    for post in new_posts:
        post.person_id = post.person.pk  # people created above now have their keys
    if new_posts:
        bulk_create_with_history(new_posts, StaffMember, **history)
    if changed_posts:
        bulk_update_with_history(changed_posts, StaffMember, list(POST_FIELDS), **history)
    for certificate in new_certificates:
        certificate.person_id = certificate.person.pk
    if new_certificates:
        bulk_create_with_history(new_certificates, Certificate, **history)
    if changed_certificates:
        bulk_update_with_history(
            list(changed_certificates.values()), Certificate, ["issued_on", "expires_on"], **history
        )
    new_post_count = len(new_posts)
    return ImportResult(
        created=new_post_count,
        updated=len(lines) - new_post_count - unchanged,
        unchanged=unchanged,
        people_created=len(new_people),
        certificates_written=len(new_certificates) + len(changed_certificates),
    )
