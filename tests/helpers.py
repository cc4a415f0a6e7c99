"""Assertions every app's tests reuse, so each resource's scoping is tested the same way.

`VISIBLE_KINDERGARTENS` says which of the persona fixtures' kindergartens (A, B in 望京; C in
双井) each persona may see; a resource hanging off kindergartens expects the rows of exactly
those. `assert_api_scope` lists an API endpoint as a user (following pagination) and checks the
ids it returns, and optionally that rows outside the scope answer 404.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rest_framework.test import APIClient

from kindergartens.choices import InclusiveStatus, LicenceStatus, SponsorType
from kindergartens.models import Kindergarten, Subdistrict

from .factories import KindergartenFactory

VISIBLE_KINDERGARTENS: Mapping[str, frozenset[str]] = {
    "bureau_admin": frozenset("ABC"),
    "bureau_official": frozenset("ABC"),
    "wangjing_official": frozenset("AB"),
    "director_a": frozenset("A"),
    "director_b": frozenset("B"),
    "inspector": frozenset("BC"),
}
CHANGEABLE_KINDERGARTENS: Mapping[str, frozenset[str]] = {
    "bureau_admin": frozenset("ABC"),
    "bureau_official": frozenset("ABC"),
    "wangjing_official": frozenset(),
    "director_a": frozenset("A"),
    "director_b": frozenset("B"),
    "inspector": frozenset(),
}


def private_kindergartens(wangjing: Subdistrict, shuangjing: Subdistrict) -> list[Kindergarten]:
    """Two private kindergartens to set beside the public A, B (望京) and C (双井) in filter tests:
    D, inclusive in 双井 (with an address and a principal to search for), and E, for-profit,
    unlicensed and with a non-compliant name in 望京."""
    return [
        KindergartenFactory(
            code="KGD0001",
            name="双井启明幼儿园",
            subdistrict=shuangjing,
            address="北京市朝阳区广渠路8号",
            principal="李启明",
            sponsor_type=SponsorType.PRIVATE_NONPROFIT,
            inclusive_status=InclusiveStatus.INCLUSIVE_PRIVATE,
            recognition_date="2022-09-01",
        ),
        KindergartenFactory(
            code="KGE0001",
            name="望京Sunny幼儿园",
            subdistrict=wangjing,
            sponsor_type=SponsorType.PRIVATE_FORPROFIT,
            inclusive_status=InclusiveStatus.NON_INCLUSIVE_PRIVATE,
            licence_status=LicenceStatus.UNLICENSED,
        ),
    ]


# Filters of the registry's FilterSet and the letters (A–E above) each leaves; `{wangjing}` and
# `{shuangjing}` stand for the sub-districts' ids.
REGISTRY_FILTER_CASES: list[tuple[str, str]] = [
    ("subdistrict={shuangjing}", "CD"),
    ("subdistrict={wangjing}", "ABE"),
    ("ownership=public", "ABC"),
    ("ownership=private", "DE"),
    ("sponsor_type=private_forprofit", "E"),
    ("inclusive_status=inclusive_private", "D"),
    ("inclusive_status=public", "ABC"),
    ("licence_status=unlicensed", "E"),
    ("licence_status=licensed", "ABCD"),
    ("name_compliant=false", "E"),
    ("name_compliant=true", "ABCD"),
    ("q=阳光", "C"),
    ("q=kgb", "B"),
    ("q=广渠路", "D"),
    ("q=启明", "D"),
    ("ownership=private&subdistrict={wangjing}", "E"),
    ("q=不存在的幼儿园", ""),
]


def api_list_ids(api_client: APIClient, user, url: str) -> list:
    """The `id` of every row `url` lists for `user`, across all pages, in order."""
    api_client.force_authenticate(user=user)
    try:
        ids: list = []
        next_url: str | None = url
        while next_url:
            response = api_client.get(next_url)
            assert response.status_code == 200, (url, response.status_code, response.content[:500])
            data = response.json()
            if isinstance(data, dict) and "results" in data:
                rows, next_url = data["results"], data.get("next")
            else:
                rows, next_url = data, None
            ids.extend(row["id"] for row in rows)
        return ids
    finally:
        api_client.force_authenticate(user=None)


def assert_api_scope(
    api_client: APIClient, user, url: str, expected_ids: Iterable, *, hidden_ids: Iterable = ()
) -> None:
    """`url` lists exactly `expected_ids` for `user`, each once; every id in `hidden_ids` is a 404.

    `url` is a router list URL ("/api/things/"); detail URLs are `url + "<id>/"`.
    """
    ids = api_list_ids(api_client, user, url)
    assert len(ids) == len(set(ids)), f"{url} lists some rows twice for {user}: {ids}"
    assert set(ids) == set(expected_ids), f"{url} for {user}: got {sorted(ids)}, expected {sorted(expected_ids)}"
    hidden = set(hidden_ids)
    assert not hidden & set(expected_ids), "an id cannot be both expected and hidden"
    if hidden:
        api_client.force_authenticate(user=user)
        try:
            for pk in hidden:
                response = api_client.get(f"{url}{pk}/")
                assert response.status_code == 404, (f"{url}{pk}/", user, response.status_code)
        finally:
            api_client.force_authenticate(user=None)
