"""The staff workbook: one row per post (a person at a kindergarten), with the person's details
and their certificates, for the bureau's import and for the export.

Import (`services.import_staff`), export and template share `staff_columns()`. The export shows
ID numbers masked, so an exported file cannot be re-imported as it is: the import needs the whole
numbers (a masked cell is refused with its row). The format is documented in docs/staff.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from common.spreadsheets import (
    Column,
    DateColumn,
    ForeignKeyColumn,
    Sheet,
    TextColumn,
    instructions_sheet,
    model_column,
)
from kindergartens.models import Kindergarten

from .choices import CertificateKind
from .models import Person, StaffMember

SHEET_TITLE = "教职工"
TEMPLATE_FILENAME = "教职工名册导入模板.xlsx"
TEMPLATE_FALLBACK = "staff-import-template.xlsx"
CHANGE_REASON = "Excel 导入"
# The certificates a workbook row carries (one of each kind); others are kept on the pages.
WORKBOOK_CERTIFICATES = (
    CertificateKind.TEACHER,
    CertificateKind.PRINCIPAL,
    CertificateKind.HEALTH,
    CertificateKind.SECURITY,
)
CERTIFICATE_PARTS = ("number", "issued_on", "expires_on")


def certificate_field(kind: str, part: str) -> str:
    return f"certificate_{kind}_{part}"


@dataclass(frozen=True, kw_only=True)
class KindergartenNameColumn(Column):
    """For the reader of an export; the import matches by code."""

    read_only: bool = True


def certificate_columns() -> list[Column]:
    columns: list[Column] = []
    for kind in WORKBOOK_CERTIFICATES:
        label = str(CertificateKind(kind).label)
        columns += [
            TextColumn(header=f"{label}编号", field=certificate_field(kind, "number"), help=_("无此证书留空")),
            DateColumn(header=f"{label}发证日期", field=certificate_field(kind, "issued_on"), help=_("填写编号时必填")),
            DateColumn(header=f"{label}有效期至", field=certificate_field(kind, "expires_on"), help=_("长期有效留空")),
        ]
    return columns


def staff_columns() -> list[Column]:
    """The workbook's columns, in file order. Headers are the models' verbose names."""
    return [
        ForeignKeyColumn(
            header="幼儿园编码",
            field="kindergarten",
            model=Kindergarten,
            to_fields=("code",),
            required=True,
            help=_("幼儿园名录中的编码"),
        ),
        KindergartenNameColumn(header="幼儿园名称", field="kindergarten_name", help=_("导出时填写，导入时忽略")),
        model_column(Person, "name", required=True),
        TextColumn(
            header="身份证号码",
            field="id_number",
            required=True,
            help=_("18 位完整号码，按号码匹配人员；导出文件中的号码已隐藏，不能直接导入"),
        ),
        model_column(Person, "gender", required=True),
        model_column(Person, "birth_date"),
        model_column(Person, "education", required=True),
        model_column(Person, "professional_title", required=False),
        model_column(StaffMember, "role"),
        model_column(StaffMember, "establishment"),
        model_column(StaffMember, "full_time", help=_("是/否，留空视为“是”"), default=True),
        model_column(StaffMember, "hired_on"),
        model_column(StaffMember, "left_on", help=_("在职留空")),
        *certificate_columns(),
    ]


def export_rows(posts: Iterable[StaffMember]) -> Iterable[dict[str, Any]]:
    """One dict per post (``person`` and ``kindergarten`` selected, the person's certificates
    prefetched), the ID number masked."""
    for post in posts:
        person = post.person
        row = {
            "kindergarten": post.kindergarten,
            "kindergarten_name": post.kindergarten.name,
            "id_number": person.masked_id,
            **{
                name: getattr(person, name)
                for name in ("name", "gender", "birth_date", "education", "professional_title")
            },
            **{name: getattr(post, name) for name in ("role", "establishment", "full_time", "hired_on", "left_on")},
        }
        latest: dict[str, Any] = {}
        for certificate in person.certificates.all():
            known = latest.get(certificate.kind)
            if known is None or certificate.issued_on > known.issued_on:
                latest[certificate.kind] = certificate
        for kind in WORKBOOK_CERTIFICATES:
            certificate = latest.get(kind)
            for part in CERTIFICATE_PARTS:
                row[certificate_field(kind, part)] = getattr(certificate, part) if certificate else None
        yield row


def export_sheets(posts: Iterable[StaffMember]) -> list[Sheet]:
    columns = staff_columns()
    notes = [_("导出时间：%(now)s；身份证号码已隐藏。") % {"now": timezone.localtime().strftime("%Y-%m-%d %H:%M")}]
    return [Sheet(SHEET_TITLE, columns, export_rows(posts), notes=notes)]


def template_sheets() -> Sequence[Sheet]:
    columns = staff_columns()
    notes = [
        _("每行一个岗位：一人在一所幼儿园的任职。按身份证号码匹配人员、按幼儿园编码匹配幼儿园。"),
        _("整个文件先校验：任何一行有错，整个文件都不导入。重复导入同一文件不会产生变化。"),
        _("证书按“证书类型 + 编号”匹配：已有的更新日期，新的新增；表中没有的证书保留不变。"),
    ]
    return [Sheet(SHEET_TITLE, columns), instructions_sheet([c for c in columns if not c.read_only], notes=notes)]


def export_filename() -> tuple[str, str]:
    day = timezone.localdate().strftime("%Y%m%d")
    return f"教职工名册-{day}.xlsx", f"staff-{day}.xlsx"
