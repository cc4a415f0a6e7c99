"""The bureau's staff workbook: all or nothing with row, column and reason; matched by ID number;
re-import changes nothing; the export masks ID numbers and stays within the user's scope."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from common.spreadsheets import ImportRejected
from staff import identity
from staff.choices import CertificateKind, StaffRole
from staff.models import Certificate, Person, StaffMember
from staff.services import import_staff
from tests.conftest import client_for

from .factories import CertificateFactory, PersonFactory, StaffMemberFactory, id_number
from .workbooks import staff_row, staff_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(kg_a, kg_b):
    return [
        staff_row(
            kg_a.code,
            "张丽",
            id_number(1),
            **{
                "岗位": "园长",
                "园长任职资格（培训合格）证编号": "P-1",
                "园长任职资格（培训合格）证发证日期": "2019-01-01",
            },
        ),
        staff_row(kg_a.code, "王静", id_number(2)),
        staff_row(kg_a.code, "刘洋", id_number(3), 岗位="保育员", 教师资格证编号=None, 教师资格证发证日期=None),
        staff_row(
            kg_b.code, "陈晨", id_number(4), 健康证编号="H-4", 健康证发证日期="2025-03-01", 健康证有效期至="2026-03-01"
        ),
    ]


def snapshot():
    return (
        sorted(Person.objects.values_list("id_hash", "name", "education")),
        sorted(StaffMember.objects.values_list("person__name", "kindergarten__code", "role", "hired_on", "left_on")),
        sorted(Certificate.objects.values_list("person__name", "kind", "number", "expires_on")),
        Person.history.count() + StaffMember.history.count() + Certificate.history.count(),
    )


def test_it_loads_a_districts_staff(bureau_official, rows, kg_a):
    result = import_staff(file=staff_workbook(rows), user=bureau_official)
    assert (result.created, result.updated, result.unchanged, result.people_created) == (4, 0, 0, 4)
    principal = Person.objects.get(name="张丽")
    assert principal.id_hash == identity.id_hash(id_number(1))
    assert identity.decrypt(principal.id_encrypted) == id_number(1)
    assert set(principal.certificates.values_list("kind", flat=True)) == {
        CertificateKind.TEACHER,
        CertificateKind.PRINCIPAL,
    }
    assert list(principal.posts.values_list("role", flat=True)) == [StaffRole.PRINCIPAL]
    assert StaffMember.history.filter(history_user=bureau_official).count() == 4


def test_re_importing_the_same_file_changes_nothing(bureau_official, rows):
    import_staff(file=staff_workbook(rows), user=bureau_official)
    before = snapshot()
    result = import_staff(file=staff_workbook(rows), user=bureau_official)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert snapshot() == before


def test_it_matches_people_by_id_number_and_corrects_them(bureau_official, rows, kg_a, kg_c):
    person = PersonFactory(number=id_number(2), name="王静", education="associate")
    StaffMemberFactory(
        person=person, kindergarten=kg_c, left_on=datetime.date(2020, 8, 31), hired_on=datetime.date(2016, 9, 1)
    )
    rows[1]["身份证号码"] = id_number(2)[:17] + id_number(2)[17].lower()  # a lower-case x matches too
    result = import_staff(file=staff_workbook(rows), user=bureau_official)
    assert result.people_created == 3
    person.refresh_from_db()
    assert person.education == "bachelor"  # corrected by the file
    assert set(person.posts.values_list("kindergarten__code", flat=True)) == {kg_a.code, kg_c.code}  # history kept

    # A correction of one post: the teacher leaves; only that row changes.
    rows[1]["离职日期"] = "2026-07-31"
    result = import_staff(file=staff_workbook(rows), user=bureau_official)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
    assert person.posts.get(kindergarten=kg_a).left_on == datetime.date(2026, 7, 31)


def test_it_updates_a_certificate_with_the_same_number_and_keeps_others(bureau_official, rows):
    import_staff(file=staff_workbook(rows), user=bureau_official)
    chen = Person.objects.get(name="陈晨")
    CertificateFactory(person=chen, kind=CertificateKind.OTHER, number="O-1")
    rows[3]["健康证有效期至"] = "2027-03-01"
    import_staff(file=staff_workbook(rows), user=bureau_official)
    assert chen.certificates.get(kind=CertificateKind.HEALTH).expires_on == datetime.date(2027, 3, 1)
    assert chen.certificates.count() == 3


def test_a_bad_workbook_is_rejected_whole_with_row_column_and_reason(bureau_official, rows, kg_a):
    good = id_number(9)
    rows += [
        staff_row(kg_a.code, "赵一", good[:17] + ("0" if good[17] != "0" else "1")),  # row 6: check digit
        staff_row("NOPE", "钱二", id_number(10)),  # row 7: unknown kindergarten
        staff_row(kg_a.code, "孙三", id_number(11), 岗位="厨师长"),  # row 8: not a role
        staff_row(kg_a.code, "李四", id_number(12), 入职日期="2021-09-01", 离职日期="2020-01-01"),  # row 9
        staff_row(kg_a.code, "周五", id_number(13), 健康证编号="H-13"),  # row 10: number without date
        staff_row(kg_a.code, "王静", id_number(2)),  # row 11: repeats row 3
        staff_row(kg_a.code, "吴六", "**************1234"),  # row 12: an exported, masked number
    ]
    with pytest.raises(ImportRejected) as rejected:
        import_staff(file=staff_workbook(rows), user=bureau_official)
    found = {(e.row, e.column) for e in rejected.value.errors}
    assert found == {
        (6, "身份证号码"),
        (7, "幼儿园编码"),
        (8, "岗位"),
        (9, "离职日期"),
        (10, "健康证发证日期"),
        (11, "身份证号码"),
        (12, "身份证号码"),
    }
    assert all(e.message for e in rejected.value.errors)
    assert not Person.objects.exists() and not StaffMember.objects.exists() and not Certificate.objects.exists()
    assert not any(good[:14] in e.message for e in rejected.value.errors)


def test_the_import_page_is_the_bureaus_and_shows_the_errors(client, bureau_official, director_a, rows, kg_a):
    assert client_for(client, director_a).get(reverse("staff:import")).status_code == 403
    client = client_for(client, bureau_official)
    rows.append(staff_row(kg_a.code, "坏行", "123"))
    response = client.post(reverse("staff:import"), {"file": staff_workbook(rows)})
    assert response.status_code == 200
    assert [(e.row, e.column) for e in response.context["import_errors"]] == [(6, "身份证号码")]
    assert not StaffMember.objects.exists()
    response = client.post(reverse("staff:import"), {"file": staff_workbook(rows[:-1])})
    assert response.status_code == 302
    assert StaffMember.objects.count() == 4
    template = client.get(reverse("staff:import_template"))
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")


def read_export(response) -> list[dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    header = values[0]
    return [dict(zip(header, row, strict=False)) for row in values[1:] if row[0] and row[1]], sheet


def test_the_export_masks_id_numbers_and_keeps_cells_as_text(client, bureau_official, rows, kg_a):
    import_staff(file=staff_workbook(rows), user=bureau_official)
    response = client_for(client, bureau_official).get(reverse("staff:export"))
    exported, sheet = read_export(response)
    assert len(exported) == 4
    assert {r["身份证号码"] for r in exported} == {"*" * 14 + id_number(n)[-4:] for n in (1, 2, 3, 4)}
    content = b"".join(response.content.split())
    for n in (1, 2, 3, 4):
        assert id_number(n)[:14].encode() not in content
    assert all(cell.data_type == "s" for cell in sheet["D"][1:5])
    principal = next(r for r in exported if r["姓名"] == "张丽")
    assert principal["园长任职资格（培训合格）证编号"] == "P-1"


def test_the_export_is_scoped_and_filtered(client, director_a, bureau_official, rows, kg_a):
    import_staff(file=staff_workbook(rows), user=bureau_official)
    exported, _sheet = read_export(client_for(client, director_a).get(reverse("staff:export")))
    assert {r["姓名"] for r in exported} == {"张丽", "王静", "刘洋"}
    exported, _sheet = read_export(client_for(client, bureau_official).get(reverse("staff:export") + "?role=caregiver"))
    assert [r["姓名"] for r in exported] == ["刘洋"]
