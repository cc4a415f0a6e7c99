"""The registry's pages: what each persona sees and may change, forms, history and query counts."""

import re
from datetime import date

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kindergartens.choices import InclusiveStatus, SponsorType
from kindergartens.forms import KindergartenForm
from kindergartens.models import Kindergarten
from tests.conftest import client_for
from tests.factories import KindergartenFactory
from tests.helpers import REGISTRY_FILTER_CASES, VISIBLE_KINDERGARTENS, private_kindergartens

LIST_URL = reverse("kindergartens:kindergarten_list")
ADD_URL = reverse("kindergartens:kindergarten_add")
REPORT_URL = reverse("kindergartens:name_compliance_report")
SUBDISTRICTS_URL = reverse("kindergartens:subdistrict_list")


def detail_url(kindergarten: Kindergarten) -> str:
    return reverse("kindergartens:kindergarten_detail", args=[kindergarten.pk])


def edit_url(kindergarten: Kindergarten) -> str:
    return reverse("kindergartens:kindergarten_edit", args=[kindergarten.pk])


def listed(response) -> list[Kindergarten]:
    """The kindergartens in the rows of the page's table, in order."""
    assert response.status_code == 200
    return [row.record for row in response.context["table"].paginated_rows]


def codes(response) -> set[str]:
    return {k.code for k in listed(response)}


def _form_value(value):
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return value


def form_data(kindergarten: Kindergarten | None = None, **changes) -> dict:
    """What the browser posts for the registry form: the kindergarten's values with `changes`.

    Unticked checkboxes are left out, as a browser does.
    """
    values = model_to_dict(kindergarten, fields=KindergartenForm.Meta.fields) if kindergarten else {}
    values.update(changes)
    data = {}
    for name, value in values.items():
        if value is False:
            continue
        data[name] = "on" if value is True else _form_value(value)
    return data


def new_kindergarten_data(subdistrict, **changes) -> dict:
    values = {
        "code": "KGN0001",
        "name": "望京新苑幼儿园",
        "subdistrict": subdistrict.pk,
        "address": "北京市朝阳区望京新苑1号",
        "sponsor_type": SponsorType.EDUCATION_BUREAU,
        "inclusive_status": InclusiveStatus.PUBLIC,
        "licence_status": "licensed",
        "approved_capacity": 270,
        "international_seats": 0,
    }
    return form_data(**{**values, **changes})


# --- the list page --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", VISIBLE_KINDERGARTENS)
def test_it_lists_exactly_the_kindergartens_each_persona_may_see(client, personas, kindergartens, persona):
    response = client_for(client, personas[persona]).get(LIST_URL)
    expected = {f"KG{letter}0001" for letter in VISIBLE_KINDERGARTENS[persona]}
    assert codes(response) == expected
    html = response.content.decode()
    for kindergarten in kindergartens:
        assert (kindergarten.name in html) is (kindergarten.code in expected)


def test_it_shows_the_add_button_to_the_bureau_only(client, bureau_official, director_a):
    assert ADD_URL in client_for(client, bureau_official).get(LIST_URL).content.decode()
    assert ADD_URL not in client_for(client, director_a).get(LIST_URL).content.decode()


@pytest.fixture
def registry(kindergartens, wangjing, shuangjing):
    return [*kindergartens, *private_kindergartens(wangjing, shuangjing)]


@pytest.mark.parametrize(("query", "letters"), REGISTRY_FILTER_CASES)
def test_it_filters_the_list(client, bureau_official, registry, wangjing, shuangjing, query, letters):
    query = query.format(wangjing=wangjing.pk, shuangjing=shuangjing.pk)
    response = client_for(client, bureau_official).get(f"{LIST_URL}?{query}")
    assert codes(response) == {f"KG{letter}0001" for letter in letters}


def test_it_filters_within_the_scope_only(client, wangjing_official, registry, shuangjing):
    client_for(client, wangjing_official)
    assert codes(client.get(f"{LIST_URL}?ownership=private")) == {"KGE0001"}
    assert codes(client.get(f"{LIST_URL}?q=幼儿园")) == {"KGA0001", "KGB0001", "KGE0001"}
    # Another area's id is no valid choice: the page shows nothing rather than that area's rows.
    response = client.get(f"{LIST_URL}?subdistrict={shuangjing.pk}")
    assert codes(response) == set()
    assert response.context["filter"].errors["subdistrict"]


def test_it_offers_only_the_users_subdistricts_as_filter_choices(client, wangjing_official, kindergartens):
    response = client_for(client, wangjing_official).get(LIST_URL)
    choices = [label for value, label in response.context["filter"].form.fields["subdistrict"].choices if value]
    assert choices == ["望京"]


def test_it_sorts_by_name_either_way(client, bureau_official):
    # Codes ascend while names descend, so sorting by name is visible.
    for n in range(1, 6):
        KindergartenFactory(code=f"KGS{n:04d}", name=f"望京第{6 - n}幼儿园")
    client_for(client, bureau_official)
    by_code = [k.name for k in listed(client.get(LIST_URL))]
    assert by_code == ["望京第5幼儿园", "望京第4幼儿园", "望京第3幼儿园", "望京第2幼儿园", "望京第1幼儿园"]
    assert [k.name for k in listed(client.get(f"{LIST_URL}?sort=name"))] == sorted(by_code)
    assert [k.name for k in listed(client.get(f"{LIST_URL}?sort=-name"))] == by_code


def test_it_paginates_25_to_a_page(client, bureau_official):
    KindergartenFactory.create_batch(30)
    client_for(client, bureau_official)
    first = client.get(LIST_URL)
    second = client.get(f"{LIST_URL}?page=2")
    assert len(listed(first)) == 25
    assert len(listed(second)) == 5
    assert not {k.pk for k in listed(first)} & {k.pk for k in listed(second)}
    assert "第 1 / 2 页" in first.content.decode()
    assert "共 30 条" in first.content.decode()
    assert "?page=2" in first.content.decode()


def test_it_keeps_filters_and_sorting_across_pages(client, bureau_official, wangjing, shuangjing):
    KindergartenFactory.create_batch(27, subdistrict=wangjing)
    KindergartenFactory.create_batch(3, subdistrict=shuangjing)
    client_for(client, bureau_official)
    response = client.get(f"{LIST_URL}?subdistrict={wangjing.pk}&sort=-name&page=2")
    rows = listed(response)
    assert len(rows) == 2
    assert {k.subdistrict_id for k in rows} == {wangjing.pk}
    expected = list(Kindergarten.objects.filter(subdistrict=wangjing).order_by("-name")[25:])
    assert rows == expected


# --- detail ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "target", "status"),
    [
        ("director_a", "kg_a", 200),
        ("director_a", "kg_b", 404),
        ("wangjing_official", "kg_b", 200),
        ("wangjing_official", "kg_c", 404),
        ("inspector", "kg_c", 200),
        ("inspector", "kg_a", 404),
        ("bureau_official", "kg_c", 200),
    ],
)
def test_it_shows_a_detail_page_only_within_the_scope(
    client, personas, kindergartens, request, persona, target, status
):
    kindergarten = request.getfixturevalue(target)
    response = client_for(client, personas[persona]).get(detail_url(kindergarten))
    assert response.status_code == status
    if status == 200:
        assert kindergarten.name in response.content.decode()


def test_it_offers_the_edit_button_to_those_who_may_edit(client, personas, kg_a):
    for persona, may_edit in [("director_a", True), ("bureau_official", True), ("wangjing_official", False)]:
        html = client_for(client, personas[persona]).get(detail_url(kg_a)).content.decode()
        assert (edit_url(kg_a) in html) is may_edit, persona


def test_it_shows_name_violations_on_the_detail_page(client, bureau_official):
    kindergarten = KindergartenFactory(name="望京剑桥幼儿园")
    html = client_for(client, bureau_official).get(detail_url(kindergarten)).content.decode()
    assert "该名称不符合以下名称规范" in html
    assert "含外国国名、地名" in html
    assert "“剑桥”" in html


# --- edit and create ------------------------------------------------------------------------


def test_it_lets_the_bureau_edit_everything(client, bureau_official, kg_a, kg_c):
    client_for(client, bureau_official)
    data = form_data(
        kg_a,
        name="望京第一实验幼儿园",
        subdistrict=kg_c.subdistrict_id,
        sponsor_type=SponsorType.PRIVATE_NONPROFIT,
        inclusive_status=InclusiveStatus.INCLUSIVE_PRIVATE,
        recognition_date=date(2024, 9, 1),
        approved_capacity=360,
        international_seats=20,
        has_toddler_classes=True,
        phone="010-64701234",
    )
    response = client.post(edit_url(kg_a), data)
    assert response.status_code == 302
    assert response["Location"] == detail_url(kg_a)
    kg_a.refresh_from_db()
    assert kg_a.name == "望京第一实验幼儿园"
    assert kg_a.subdistrict_id == kg_c.subdistrict_id
    assert kg_a.sponsor_type == SponsorType.PRIVATE_NONPROFIT
    assert kg_a.recognition_date == date(2024, 9, 1)
    assert (kg_a.approved_capacity, kg_a.international_seats, kg_a.has_toddler_classes) == (360, 20, True)
    # Now private, the name's 实验 breaks the rules.
    assert not kg_a.name_compliant
    assert "已保存“望京第一实验幼儿园”。" in client.get(detail_url(kg_a)).content.decode()


def test_it_disables_the_bureaus_fields_for_a_director(client, director_a, kg_a):
    response = client_for(client, director_a).get(edit_url(kg_a))
    assert response.status_code == 200
    form = response.context["form"]
    editable = {name for name, field in form.fields.items() if not field.disabled}
    assert editable == set(Kindergarten.DIRECTOR_EDITABLE_FIELDS)
    html = response.content.decode()
    assert 'name="name"' in html
    assert "园长可维护本园的地址、电话、园长和经纬度" in html


def test_it_saves_a_directors_contact_changes_and_ignores_the_rest(client, director_a, kg_a):
    client_for(client, director_a)
    data = form_data(
        kg_a,
        phone="010-64701234",
        address="北京市朝阳区望京西路2号",
        name="改名幼儿园",
        sponsor_type=SponsorType.PRIVATE_FORPROFIT,
        inclusive_status=InclusiveStatus.NON_INCLUSIVE_PRIVATE,
        approved_capacity=999,
    )
    response = client.post(edit_url(kg_a), data)
    assert response.status_code == 302
    kg_a.refresh_from_db()
    assert kg_a.phone == "010-64701234"
    assert kg_a.address == "北京市朝阳区望京西路2号"
    assert kg_a.name == "望京第一幼儿园"
    assert kg_a.sponsor_type == SponsorType.EDUCATION_BUREAU
    assert kg_a.inclusive_status == InclusiveStatus.PUBLIC
    assert kg_a.approved_capacity == 300


def test_it_saves_a_directors_post_that_carries_only_the_editable_fields(client, director_a, kg_a):
    client_for(client, director_a)
    response = client.post(edit_url(kg_a), {"phone": "010-1234567", "address": kg_a.address})
    assert response.status_code == 302
    kg_a.refresh_from_db()
    assert kg_a.phone == "010-1234567"
    assert kg_a.name == "望京第一幼儿园"


@pytest.mark.parametrize(
    ("persona", "target"),
    [("director_a", "kg_b"), ("wangjing_official", "kg_a"), ("inspector", "kg_b"), ("director_b", "kg_a")],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_answers_404_to_an_edit_out_of_scope(client, personas, request, persona, target, method):
    kindergarten = request.getfixturevalue(target)
    client_for(client, personas[persona])
    if method == "get":
        response = client.get(edit_url(kindergarten))
    else:
        response = client.post(edit_url(kindergarten), form_data(kindergarten, phone="010-7654321"))
    assert response.status_code == 404
    kindergarten.refresh_from_db()
    assert kindergarten.phone == ""


@pytest.mark.parametrize("persona", ["director_a", "wangjing_official", "inspector"])
def test_it_refuses_the_create_page_to_anyone_but_the_bureau(client, personas, wangjing, persona):
    client_for(client, personas[persona])
    assert client.get(ADD_URL).status_code == 403
    assert client.post(ADD_URL, new_kindergarten_data(wangjing)).status_code == 403
    assert not Kindergarten.objects.filter(code="KGN0001").exists()


def test_it_lets_the_bureau_create_a_kindergarten(client, bureau_official, wangjing):
    client_for(client, bureau_official)
    assert client.get(ADD_URL).status_code == 200
    response = client.post(ADD_URL, new_kindergarten_data(wangjing))
    kindergarten = Kindergarten.objects.get(code="KGN0001")
    assert response.status_code == 302
    assert response["Location"] == detail_url(kindergarten)
    assert kindergarten.history.get().history_user == bureau_official


def test_it_shows_rule_errors_on_their_field_and_saves_nothing(client, bureau_official, wangjing):
    client_for(client, bureau_official)
    response = client.post(ADD_URL, new_kindergarten_data(wangjing, sponsor_type=SponsorType.PRIVATE_NONPROFIT))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"inclusive_status": ["民办幼儿园不能登记为“公办园”。"]}
    assert not form.non_field_errors()
    html = response.content.decode()
    assert "请更正下列标红的字段。" in html
    # The message sits inside that field's own block, which is marked as in error.
    field = re.compile(
        r'<div class="field has-error">\s*<label for="id_inclusive_status">'
        r'(?:(?!<div class="field).)*<div class="error" role="alert">民办幼儿园不能登记为“公办园”。</div>',
        re.S,
    )
    assert field.search(html)
    assert html.count('class="field has-error"') == 1
    assert not Kindergarten.objects.exists()


def test_it_shows_several_errors_on_an_edit_and_changes_nothing(client, bureau_official, kg_a):
    client_for(client, bureau_official)
    data = form_data(kg_a, name="改名幼儿园", international_seats=500, latitude="39.99", phone="abc")
    response = client.post(edit_url(kg_a), data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"international_seats", "longitude", "phone"}
    kg_a.refresh_from_db()
    assert kg_a.name == "望京第一幼儿园"
    assert kg_a.history.count() == 1


def test_it_refuses_a_duplicate_code_on_the_form(client, bureau_official, kg_a, wangjing):
    client_for(client, bureau_official)
    response = client.post(ADD_URL, new_kindergarten_data(wangjing, code=kg_a.code))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["code"]
    assert Kindergarten.objects.count() == 1


# --- history --------------------------------------------------------------------------------


def test_it_shows_who_changed_what_from_what_to_what(client, bureau_official, kg_a):
    client_for(client, bureau_official)
    response = client.post(edit_url(kg_a), form_data(kg_a, phone="010-64701234", approved_capacity=330))
    assert response.status_code == 302
    html = client.get(detail_url(kg_a)).content.decode()
    history = html[html.index("变更记录") :]
    assert "<td>bureau</td>" in history
    assert "修改" in history
    assert '<b>联系电话</b>：<span class="old">—</span> → <span class="new">010-64701234</span>' in history
    assert '<b>核定学位数</b>：<span class="old">300</span> → <span class="new">330</span>' in history
    assert "创建" in history


def test_it_shows_a_directors_change_under_the_directors_name(client, director_a, bureau_official, kg_a):
    director_a.first_name, director_a.last_name = "园长", "张"
    director_a.save()
    client_for(client, director_a).post(edit_url(kg_a), form_data(kg_a, principal="张园长"))
    html = client_for(client, bureau_official).get(detail_url(kg_a)).content.decode()
    assert f"<td>{director_a.get_full_name()}</td>" in html
    assert '<b>园长</b>：<span class="old">—</span> → <span class="new">张园长</span>' in html


# --- sub-districts and the name-compliance report --------------------------------------------


def test_it_lists_only_the_officials_kindergartens_on_the_subdistrict_page(
    client, wangjing_official, kindergartens, wangjing, shuangjing
):
    client_for(client, wangjing_official)
    response = client.get(wangjing.get_absolute_url())
    assert codes(response) == {"KGA0001", "KGB0001"}
    assert client.get(shuangjing.get_absolute_url()).status_code == 404
    listed_areas = [s.name for s in client.get(SUBDISTRICTS_URL).context["object_list"]]
    assert listed_areas == ["望京"]


def test_it_limits_the_subdistrict_page_to_what_a_director_sees(client, director_a, kindergartens, wangjing):
    response = client_for(client, director_a).get(wangjing.get_absolute_url())
    assert codes(response) == {"KGA0001"}


def test_it_counts_per_subdistrict_for_the_bureau(client, bureau_official, registry, wangjing, shuangjing):
    response = client_for(client, bureau_official).get(SUBDISTRICTS_URL)
    rows = {s.name: s for s in response.context["object_list"]}
    assert len(rows) == 43
    assert (rows["望京"].kindergarten_count, rows["望京"].unlicensed_count, rows["望京"].noncompliant_count) == (
        2,
        1,
        1,
    )
    assert (rows["双井"].kindergarten_count, rows["双井"].unlicensed_count, rows["双井"].noncompliant_count) == (
        2,
        0,
        0,
    )
    assert codes(client.get(shuangjing.get_absolute_url())) == {"KGC0001", "KGD0001"}


@pytest.fixture
def noncompliant(wangjing, shuangjing):
    return {
        "wangjing": KindergartenFactory(code="KGW0001", name="望京国际幼儿园", subdistrict=wangjing),
        "shuangjing": KindergartenFactory(code="KGS0001", name="双井剑桥幼儿园", subdistrict=shuangjing),
    }


@pytest.mark.parametrize(
    ("persona", "expected", "total"),
    [
        ("bureau_official", {"KGW0001", "KGS0001"}, 5),
        ("wangjing_official", {"KGW0001"}, 3),
        ("director_a", set(), 1),
    ],
)
def test_it_scopes_the_name_compliance_report(client, personas, kindergartens, noncompliant, persona, expected, total):
    response = client_for(client, personas[persona]).get(REPORT_URL)
    assert response.status_code == 200
    assert {k.code for k, _violations in response.context["rows"]} == expected
    assert response.context["total"] == total
    html = response.content.decode()
    assert ("望京国际幼儿园" in html) is ("KGW0001" in expected)
    assert ("双井剑桥幼儿园" in html) is ("KGS0001" in expected)


def test_it_groups_the_report_by_subdistrict_and_category(client, bureau_official, noncompliant):
    response = client_for(client, bureau_official).get(REPORT_URL)
    by_subdistrict = {row["subdistrict__name"]: row["noncompliant"] for row in response.context["by_subdistrict"]}
    assert by_subdistrict == {"望京": 1, "双井": 1}
    assert dict(response.context["by_category"]) == {"冠以国家或国际范围字样": 1, "含外国国名、地名": 1}


# --- anonymous ------------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_the_login_page(client, kg_a, wangjing):
    for url in [LIST_URL, ADD_URL, REPORT_URL, SUBDISTRICTS_URL, detail_url(kg_a), edit_url(kg_a)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{reverse('login')}?next={url}"
    assert client.get(wangjing.get_absolute_url())["Location"].startswith(reverse("login"))
    response = client.post(edit_url(kg_a), form_data(kg_a, phone="010-7654321"))
    assert response.status_code == 302
    kg_a.refresh_from_db()
    assert kg_a.phone == ""


# --- query counts ---------------------------------------------------------------------------

# Pinned: a new N+1 (or a new constant query) on these pages must be a deliberate change here.
# Every logged-in page costs 3: session and user, the bell's unread count (accounts.sessions
# writes an unchanged session at most once a minute, and these pages change nothing in it).
# List: 2 COUNTs (ListView's paginator and the table's), the sub-district choices, one page of rows.
LIST_PAGE_QUERIES = 7
# Detail: the kindergarten, its history rows, their sub-district labels, may-edit, branches,
# and the 质量评估 section (inspections.results.kindergarten_quality): the latest published
# result, the current cycle (two queries when there is none, as here), the open-issue counts
# and up to five open issues; the open rectification orders (one query).
DETAIL_PAGE_QUERIES = 14
# Sub-district: the sub-district, its history rows, COUNT and one page of rows of its table.
SUBDISTRICT_PAGE_QUERIES = 7


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_it_keeps_the_list_pages_query_count_flat(client, bureau_official, wangjing):
    client_for(client, bureau_official)
    KindergartenFactory.create_batch(5, subdistrict=wangjing)
    assert count_queries(client, LIST_URL) == LIST_PAGE_QUERIES
    KindergartenFactory.create_batch(45, subdistrict=wangjing)
    assert count_queries(client, LIST_URL) == LIST_PAGE_QUERIES
    assert count_queries(client, f"{LIST_URL}?page=2&sort=-name&ownership=public") == LIST_PAGE_QUERIES


def test_it_keeps_the_detail_pages_query_count_flat(client, bureau_official, kg_a):
    client_for(client, bureau_official)
    assert count_queries(client, detail_url(kg_a)) == DETAIL_PAGE_QUERIES
    KindergartenFactory.create_batch(10, branch_of=kg_a)
    for n in range(20):
        kg_a.phone = f"010-{n:07d}"
        kg_a.save()
    assert count_queries(client, detail_url(kg_a)) == DETAIL_PAGE_QUERIES


def test_it_keeps_the_subdistrict_pages_query_count_flat(client, bureau_official, wangjing):
    client_for(client, bureau_official)
    KindergartenFactory.create_batch(3, subdistrict=wangjing)
    assert count_queries(client, wangjing.get_absolute_url()) == SUBDISTRICT_PAGE_QUERIES
    KindergartenFactory.create_batch(40, subdistrict=wangjing)
    assert count_queries(client, wangjing.get_absolute_url()) == SUBDISTRICT_PAGE_QUERIES
