"""Teachers' training and titles: a course's attendance list imported whole or not at all (people
matched by ID number, which no message repeats), individual records, and title applications."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from common.spreadsheets import ImportRejected
from staff.choices import ProfessionalTitle, TitleApplicationStatus, TrainingLevel, TrainingMode, TrainingSource
from staff.models import Course, TrainingRecord
from staff.services import attendance_import, title_application_add, title_application_decide, training_record_add
from tests.conftest import client_for
from tests.helpers import assert_api_scope

from .factories import StaffMemberFactory, id_number

pytestmark = pytest.mark.django_db
START = datetime.date(2025, 3, 10)


@pytest.fixture
def course():
    return Course.objects.create(
        title="游戏观察与支持",
        hours=Decimal(16),
        credits=Decimal(4),
        level=TrainingLevel.DISTRICT,
        mode=TrainingMode.ONLINE,
        starts_on=START,
        ends_on=START + datetime.timedelta(days=2),
    )


@pytest.fixture
def teachers(kg_a, kg_c):
    return [
        StaffMemberFactory(kindergarten=kg_a, person__name="李老师", person__number=id_number(101)),
        StaffMemberFactory(kindergarten=kg_c, person__name="王老师", person__number=id_number(102)),
    ]


def workbook(*rows):
    book = openpyxl.Workbook()
    book.active.append(["姓名", "身份证号码", "培训日期", "学时"])
    for row in rows:
        book.active.append(list(row))
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile("名单.xlsx", data.getvalue())


def test_it_imports_a_list_matched_by_id_number(course, teachers, bureau_official, kg_a, kg_c):
    assert (
        attendance_import(
            course=course,
            user=bureau_official,
            file=workbook(
                ("李老师", id_number(101), None, None),
                ("王老师", id_number(102).lower(), START, 8),
            ),
        )
        == 2
    )
    records = {r.person.name: r for r in TrainingRecord.objects.select_related("person")}
    assert (records["李老师"].kindergarten, records["李老师"].hours, records["李老师"].credits) == (kg_a, 16, 4)
    assert (records["王老师"].kindergarten, records["王老师"].hours, records["王老师"].source) == (
        kg_c,
        8,
        TrainingSource.IMPORT,
    )


def test_one_bad_row_rejects_the_whole_file_and_never_repeats_a_number(course, teachers, bureau_official):
    wrong_check = id_number(103)[:17] + ("0" if id_number(103)[17] != "0" else "1")
    with pytest.raises(ImportRejected) as rejected:
        attendance_import(
            course=course,
            user=bureau_official,
            file=workbook(
                ("李老师", id_number(101), None, None),
                ("李老师", id_number(101), None, None),  # twice
                ("张老师", id_number(102), None, None),  # another person's number
                ("赵老师", id_number(104), None, None),  # nobody
                ("钱老师", wrong_check, None, None),
                ("王老师", id_number(102), "2025-04-01", None),  # outside the course's dates
            ),
        )
    errors = [(e.row, e.column) for e in rejected.value.errors]
    assert errors == [(3, "身份证号码"), (4, "姓名"), (5, "身份证号码"), (6, "身份证号码"), (7, "培训日期")]
    assert not any(id_number(n)[-6:] in e.message for e in rejected.value.errors for n in (101, 102, 103, 104))
    assert not TrainingRecord.objects.exists()


def test_a_second_import_of_the_same_person_is_refused(course, teachers, bureau_official):
    attendance_import(course=course, user=bureau_official, file=workbook(("李老师", id_number(101), None, None)))
    with pytest.raises(ImportRejected):
        attendance_import(course=course, user=bureau_official, file=workbook(("李老师", id_number(101), None, None)))
    assert TrainingRecord.objects.count() == 1


def test_only_the_bureau_imports_and_the_page_lists_the_errors(client, course, teachers, director_a, bureau_official):
    assert client_for(client, director_a).get(f"/staff/courses/{course.pk}/import/").status_code == 403
    page = client_for(client, bureau_official).post(
        f"/staff/courses/{course.pk}/import/", {"file": workbook(("赵老师", id_number(104), None, None))}
    )
    assert "系统中没有此身份证号码的教职工" in page.content.decode() and id_number(104) not in page.content.decode()


def test_a_director_records_training_for_their_own_staff_only(teachers, director_a, kg_a, kg_c):
    fields = dict(
        title="园本教研",
        attended_on=START,
        hours=Decimal(2),
        level=TrainingLevel.KINDERGARTEN,
        mode=TrainingMode.OFFLINE,
    )
    assert training_record_add(person=teachers[0].person, kindergarten=kg_a, user=director_a, **fields).pk
    with pytest.raises(PermissionDenied):
        training_record_add(person=teachers[1].person, kindergarten=kg_c, user=director_a, **fields)
    with pytest.raises(ValidationError):  # not on A's staff
        training_record_add(person=teachers[1].person, kindergarten=kg_a, user=director_a, **fields)


def test_an_approved_title_application_gives_the_title(teachers, director_a, bureau_official, kg_a):
    application = title_application_add(
        person=teachers[0].person, kindergarten=kg_a, title=ProfessionalTitle.FIRST, applied_on=START, user=director_a
    )
    with pytest.raises(PermissionDenied):
        title_application_decide(
            application=application, status=TitleApplicationStatus.APPROVED, decided_on=START, user=director_a
        )
    with pytest.raises(ValidationError):  # decided before it was applied for
        title_application_decide(
            application=application,
            status=TitleApplicationStatus.APPROVED,
            decided_on=START - datetime.timedelta(days=1),
            user=bureau_official,
        )
    title_application_decide(
        application=application,
        status=TitleApplicationStatus.APPROVED,
        decided_on=START + datetime.timedelta(days=60),
        user=bureau_official,
    )
    teachers[0].person.refresh_from_db()
    assert teachers[0].person.professional_title == ProfessionalTitle.FIRST
    with pytest.raises(ValidationError):  # decided once
        title_application_decide(
            application=application, status=TitleApplicationStatus.REFUSED, decided_on=START, user=bureau_official
        )


def test_trainings_are_scoped(api_client, personas, course, teachers, bureau_official):
    attendance_import(
        course=course,
        user=bureau_official,
        file=workbook(("李老师", id_number(101), None, None), ("王老师", id_number(102), None, None)),
    )
    a, c = (TrainingRecord.objects.get(person=t.person).pk for t in teachers)
    assert_api_scope(api_client, personas["director_a"], "/api/trainings/", [a], hidden_ids=[c])
    assert_api_scope(api_client, personas["inspector"], "/api/trainings/", [c], hidden_ids=[a])
