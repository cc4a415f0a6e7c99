"""The statistics export is bounded and streamed: one school year (the latest by default) and one
population year per file, `year=all` refused with a message, the workbook sent in chunks through
the shared writer (common.spreadsheets.xlsx_stream_response)."""

import io

import openpyxl
import pytest
from django.http import FileResponse
from django.urls import reverse

from tests.conftest import client_for

from .factories import ChildPopulationFactory, SchoolClassFactory, SchoolYearFactory

pytestmark = pytest.mark.django_db
EXPORT = reverse("enrollment:statistics_export")


@pytest.fixture
def two_years(kg_a):
    for year in (2025, 2026):
        SchoolClassFactory(kindergarten=kg_a, school_year=SchoolYearFactory(start_year=year), name=f"{year}小班")
        ChildPopulationFactory(year=year)


def sheets(response) -> dict[str, list[tuple]]:
    """Each sheet's rows under the header (a streamed response can be read once)."""
    book = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    return {
        sheet.title: [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] is not None]
        for sheet in book.worksheets
    }


def test_without_a_year_it_exports_the_latest_school_year_streamed(client, bureau_official, two_years):
    response = client_for(client, bureau_official).get(EXPORT)
    assert response.status_code == 200 and isinstance(response, FileResponse) and response.streaming
    assert "no-store" in response["Cache-Control"] and "attachment" in response["Content-Disposition"]
    book = sheets(response)
    assert {row[3] for row in book["班级"]} == {"2026小班"}
    assert {row[1] for row in book["常住儿童人口"]} == {2026}


def test_a_given_year_is_exported(client, bureau_official, two_years):
    client_for(client, bureau_official)
    book = sheets(client.get(EXPORT, {"year": 2025, "population_year": 2025}))
    assert {row[3] for row in book["班级"]} == {"2025小班"}
    assert {row[1] for row in book["常住儿童人口"]} == {2025}


@pytest.mark.parametrize("query", [{"year": "all"}, {"population_year": "all", "sheet": "population"}])
def test_an_unbounded_export_is_refused_with_a_message(client, bureau_official, two_years, query):
    response = client_for(client, bureau_official).get(EXPORT, query, follow=True)
    assert response.redirect_chain[-1][0] == reverse("enrollment:tracker")
    assert "一次只能导出一个学年" in response.content.decode()


def test_a_director_gets_the_latest_year_of_their_own_kindergarten(client, director_a, kg_b, two_years):
    SchoolClassFactory(kindergarten=kg_b, school_year=SchoolYearFactory(start_year=2026), name="别的园")
    response = client_for(client, director_a).get(EXPORT, {"sheet": "classes"})
    assert {row[3] for row in sheets(response)["班级"]} == {"2026小班"}
