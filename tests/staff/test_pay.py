"""Pay and rights: the yearly filing, the flags of private kindergartens (below the public
benchmark of the year and role, uncovered staff), the pages and the API's scope."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kindergartens.choices import InclusiveStatus, SponsorType
from staff.choices import Establishment, StaffRole
from staff.models import PayBenchmark, PayFiling
from staff.services import pay_filing_save
from tests.conftest import client_for
from tests.helpers import assert_api_scope

pytestmark = pytest.mark.django_db
YEAR = 2024
RIGHTS = dict(
    insurance_required=10,
    insurance_covered=10,
    housing_required=10,
    housing_covered=10,
    leave_entitled=10,
    leave_taken=8,
    rotation_arranged=True,
)


def benchmark(role=StaffRole.TEACHER) -> Decimal:
    return PayBenchmark.objects.get(year=YEAR, role=role).average_monthly_pay


def line(pay, role=StaffRole.TEACHER, est=Establishment.CONTRACT, n=6):
    return {"role": role, "establishment": est, "headcount": n, "average_monthly_pay": pay}


def file(kg, user, lines, **rights):
    return pay_filing_save(kindergarten=kg, year=YEAR, lines=lines, user=user, **{**RIGHTS, **rights})


@pytest.fixture
def private_b(kg_b):
    kg_b.sponsor_type, kg_b.inclusive_status = SponsorType.PRIVATE_NONPROFIT, InclusiveStatus.INCLUSIVE_PRIVATE
    kg_b.save()
    return kg_b


def flags(filing):
    row = PayFiling.objects.with_flags().get(pk=filing.pk)
    return row.below_benchmark, row.uncovered, row.flagged


def test_the_benchmarks_are_seeded_per_year_and_role():
    assert benchmark() > 0 and benchmark(StaffRole.PRINCIPAL) > benchmark()


def test_a_private_kindergarten_at_the_benchmark_is_not_flagged_and_one_yuan_below_is(private_b, director_b):
    filing = file(private_b, director_b, [line(benchmark())])
    assert flags(filing) == (False, False, False)
    filing = file(private_b, director_b, [line(benchmark() - Decimal("0.01"))])
    assert flags(filing) == (True, False, True)
    assert filing.lines.count() == 1  # the lines are replaced, not added


def test_one_uncovered_person_flags_a_private_kindergarten(private_b, director_b):
    assert flags(file(private_b, director_b, [line(benchmark())], housing_covered=9)) == (False, True, True)


def test_a_public_kindergarten_below_the_benchmark_is_not_flagged(kg_a, director_a):
    assert flags(file(kg_a, director_a, [line(benchmark() - 1)], insurance_covered=9)) == (True, True, False)


def test_it_refuses_more_covered_than_required_and_writes_nothing(kg_a, director_a):
    with pytest.raises(ValidationError) as error:
        file(kg_a, director_a, [line(9000)], insurance_covered=11)
    assert "insurance_covered" in error.value.message_dict
    assert not PayFiling.objects.exists()


def test_a_bad_line_leaves_the_previous_filing_unchanged(kg_a, director_a):
    file(kg_a, director_a, [line(9000)])
    with pytest.raises(ValidationError):
        file(kg_a, director_a, [line(9500), line(-1, role=StaffRole.CAREGIVER)], leave_taken=1)
    filing = PayFiling.objects.get()
    assert (filing.leave_taken, [str(x.average_monthly_pay) for x in filing.lines.all()]) == (8, ["9000.00"])


def test_a_director_files_only_for_their_own_kindergarten(kg_b, director_a):
    with pytest.raises(PermissionDenied):
        file(kg_b, director_a, [line(9000)])


class TestPages:
    def test_a_director_fills_the_grid(self, client, director_a, kg_a):
        data = {
            "year": YEAR,
            **RIGHTS,
            "rotation_arranged": "on",
            f"n_{StaffRole.TEACHER}_{Establishment.CONTRACT}": 6,
            f"pay_{StaffRole.TEACHER}_{Establishment.CONTRACT}": "9800",
            f"n_{StaffRole.CAREGIVER}_{Establishment.CONTRACT}": 3,
        }
        client = client_for(client, director_a)
        page = client.post(f"/staff/pay/kindergartens/{kg_a.pk}/", data)
        assert "填写了人数，请同时填写月平均工资" in page.content.decode()
        data[f"pay_{StaffRole.CAREGIVER}_{Establishment.CONTRACT}"] = "6500"
        response = client.post(f"/staff/pay/kindergartens/{kg_a.pk}/", data)
        filing = PayFiling.objects.get(kindergarten=kg_a, year=YEAR)
        assert response.url == f"/staff/pay/{filing.pk}/"
        assert filing.lines.count() == 2 and filing.filed_by == director_a
        assert "9800" in client.get(response.url).content.decode()

    def test_another_kindergartens_filing_and_form_are_out_of_reach(self, client, director_a, kg_b, director_b):
        filing = file(kg_b, director_b, [line(9000)])
        client = client_for(client, director_a)
        assert client.get(f"/staff/pay/{filing.pk}/").status_code == 404
        assert client.get(f"/staff/pay/kindergartens/{kg_b.pk}/").status_code == 404

    def test_the_list_filters_the_flagged(self, client, bureau_official, kg_a, private_b, director_a, director_b):
        public = file(kg_a, director_a, [line(100)])
        private = file(private_b, director_b, [line(100)])
        client = client_for(client, bureau_official)
        summary = client.get("/staff/pay/").context["summary"]
        assert (summary["filings"], summary["flagged_count"], summary["insurance_covered"]) == (2, 1, 20)
        page = client.get("/staff/pay/", {"flagged": "true"}).content.decode()
        assert f'href="/staff/pay/{private.pk}/"' in page and f'href="/staff/pay/{public.pk}/"' not in page


def test_the_api_is_scoped(api_client, personas, kg_a, kg_b, kg_c, director_a, director_b, bureau_official):
    filings = {
        name: file(kg, bureau_official, [line(9000)]) for name, kg in zip("ABC", (kg_a, kg_b, kg_c), strict=True)
    }
    url = "/api/pay-filings/"
    assert_api_scope(api_client, personas["director_a"], url, [filings["A"].pk], hidden_ids=[filings["C"].pk])
    assert_api_scope(api_client, personas["wangjing_official"], url, [filings["A"].pk, filings["B"].pk])
    api_client.force_authenticate(user=bureau_official)
    row = api_client.get(f"{url}{filings['A'].pk}/").json()
    assert row["lines"][0]["benchmark"] == str(benchmark()) and row["flagged"] is False


def test_social_insurance_coverage_sums_the_last_years_filings(kg_a, kg_b, kg_c, private_b, bureau_official, wangjing):
    """D = 2025-03-01 reads the 2024 filings: A 10/10, B 7/9, C 5/8 → district 22/27, 望京 17/19, private 7/9;
    a 2025 filing of A (0/50) does not count."""
    import datetime

    from reports.choices import ScopeType
    from reports.indicators import compute_indicators_for
    from staff.indicators_development import SOCIAL_INSURANCE_COVERAGE

    file(kg_a, bureau_official, [line(9000)])
    file(private_b, bureau_official, [line(9000)], insurance_required=9, insurance_covered=7)
    file(kg_c, bureau_official, [line(9000)], insurance_required=8, insurance_covered=5)
    pay_filing_save(
        kindergarten=kg_a,
        year=2025,
        lines=[line(9000)],
        user=bureau_official,
        **{**RIGHTS, "insurance_required": 50, "insurance_covered": 0},
    )
    values = {
        (v.scope_type, v.scope_key): (int(v.numerator), int(v.denominator))
        for v in compute_indicators_for(datetime.date(2025, 3, 1))
        if v.indicator == SOCIAL_INSURANCE_COVERAGE
    }
    assert values[("district", "district")] == (22, 27)
    assert values[(ScopeType.SUBDISTRICT, wangjing.code)] == (17, 19)
    assert values[(ScopeType.OWNERSHIP, "private_nonprofit")] == (7, 9)


def test_the_pay_list_runs_the_same_queries_for_more_filings(client, bureau_official, kg_a, kg_b, kg_c):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(client, bureau_official)
    file(kg_a, bureau_official, [line(9000)])
    client.get("/staff/pay/")
    with CaptureQueriesContext(connection) as few:
        client.get("/staff/pay/")
    for kg in (kg_b, kg_c):
        file(kg, bureau_official, [line(9000), line(7000, role=StaffRole.CAREGIVER)])
    with CaptureQueriesContext(connection) as many:
        assert client.get("/staff/pay/").status_code == 200
    assert len(many) == len(few)
