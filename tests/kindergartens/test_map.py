"""The registry map's JSON endpoint, the sub-district GeoJSON import and the seat-shortfall map."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from kindergartens.choices import InclusiveStatus, LicenceStatus, SponsorType
from kindergartens.geo import geometry_point
from kindergartens.models import Subdistrict
from reports.models import SeatForecast
from tests.conftest import client_for
from tests.factories import KindergartenFactory

URL = reverse("kindergartens:kindergarten_map_data")


def place(kindergarten, lat="39.990000", lng="116.480000"):
    kindergarten.latitude, kindergarten.longitude = Decimal(lat), Decimal(lng)
    kindergarten.save()
    return kindergarten


def names(response):
    assert response.status_code == 200
    return sorted(p["name"] for p in response.json()["points"])


@pytest.fixture
def placed(kg_a, kg_b, kg_c):
    return [place(kg) for kg in (kg_a, kg_b, kg_c)]


class TestMapData:
    def test_it_lists_exactly_the_fields_the_map_needs(self, client, bureau_official, placed):
        point = client_for(client, bureau_official).get(URL).json()["points"][0]
        assert list(point) == ["id", "name", "lng", "lat", "category", "url"]
        assert point["url"] == reverse("kindergartens:kindergarten_detail", args=[point["id"]])
        assert (point["lng"], point["lat"]) == (116.48, 39.99)

    def test_it_limits_a_director_to_their_own_kindergarten(self, client, director_a, placed):
        assert names(client_for(client, director_a).get(URL)) == ["望京第一幼儿园"]

    def test_it_limits_a_subdistrict_official_to_their_area(self, client, wangjing_official, placed):
        assert names(client_for(client, wangjing_official).get(URL)) == ["望京第一幼儿园", "望京花园幼儿园"]

    def test_it_requires_login(self, client, placed):
        assert client.get(URL).status_code == 302

    def test_it_applies_the_registry_filters(self, client, bureau_official, placed, shuangjing):
        response = client_for(client, bureau_official).get(URL, {"subdistrict": shuangjing.pk})
        assert names(response) == ["双井阳光幼儿园"]

    def test_it_leaves_out_kindergartens_without_coordinates(self, client, bureau_official, placed, wangjing):
        KindergartenFactory(name="无坐标幼儿园", subdistrict=wangjing)
        assert "无坐标幼儿园" not in names(client_for(client, bureau_official).get(URL))

    def test_it_colours_by_public_inclusive_and_other_private(self, client, bureau_official, wangjing):
        place(KindergartenFactory(name="公办", subdistrict=wangjing))
        place(
            KindergartenFactory(
                name="普惠民办",
                subdistrict=wangjing,
                sponsor_type=SponsorType.PRIVATE_NONPROFIT,
                inclusive_status=InclusiveStatus.INCLUSIVE_PRIVATE,
            )
        )
        place(
            KindergartenFactory(
                name="非普惠民办",
                subdistrict=wangjing,
                sponsor_type=SponsorType.PRIVATE_FORPROFIT,
                inclusive_status=InclusiveStatus.NON_INCLUSIVE_PRIVATE,
            )
        )
        points = client_for(client, bureau_official).get(URL).json()["points"]
        assert {p["name"]: p["category"] for p in points} == {
            "公办": "public",
            "普惠民办": "inclusive_private",
            "非普惠民办": "other_private",
        }

    def test_it_answers_in_one_registry_query_whatever_the_data(
        self, client, bureau_official, wangjing, django_assert_num_queries, django_assert_max_num_queries
    ):
        client = client_for(client, bureau_official)
        place(KindergartenFactory(subdistrict=wangjing))
        with django_assert_max_num_queries(10) as few:  # session, user, middleware, and the points
            client.get(URL, {"sponsor_type": SponsorType.EDUCATION_BUREAU})
        registry = [q for q in few.captured_queries if '"kindergartens_kindergarten"' in q["sql"]]
        assert len(registry) == 1
        for _ in range(20):
            place(KindergartenFactory(subdistrict=wangjing))
        with django_assert_num_queries(len(few.captured_queries)):
            response = client.get(URL, {"sponsor_type": SponsorType.EDUCATION_BUREAU})
        assert len(response.json()["points"]) == 21


def write(tmp_path, data) -> str:
    path = tmp_path / "subdistricts.geojson"
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def feature(properties, geometry):
    return {"type": "Feature", "properties": properties, "geometry": geometry}


POINT = {"type": "Point", "coordinates": [116.47, 40.0]}
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[116.4, 39.9], [116.5, 39.9], [116.5, 40.0], [116.4, 40.0], [116.4, 39.9]]],
}


class TestGeoJsonImport:
    def test_it_stores_points_and_boundaries_by_name_or_code(self, tmp_path, wangjing, shuangjing):
        path = write(
            tmp_path,
            {
                "type": "FeatureCollection",
                "features": [feature({"name": "望京"}, POINT), feature({"code": shuangjing.code}, SQUARE)],
            },
        )
        call_command("import_subdistrict_geojson", path)
        wangjing.refresh_from_db()
        shuangjing.refresh_from_db()
        assert wangjing.geometry == POINT
        assert shuangjing.geometry == SQUARE
        assert geometry_point(shuangjing.geometry) == pytest.approx((116.44, 39.94))

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            ("not json", "JSON"),
            ({"type": "Feature"}, "FeatureCollection"),
            ({"type": "FeatureCollection", "features": []}, "features"),
            ({"type": "FeatureCollection", "features": [feature({"name": "火星"}, POINT)]}, "火星"),
            (
                {
                    "type": "FeatureCollection",
                    "features": [feature({"name": "望京"}, {"type": "Point", "coordinates": [500, 40]})],
                },
                "坐标无效",
            ),
            (
                {
                    "type": "FeatureCollection",
                    "features": [feature({"name": "望京"}, {"type": "LineString", "coordinates": []})],
                },
                "几何类型",
            ),
            (
                {
                    "type": "FeatureCollection",
                    "features": [feature({"name": "望京"}, POINT), feature({"name": "望京"}, POINT)],
                },
                "多次",
            ),
        ],
    )
    def test_it_rejects_a_bad_file_and_changes_nothing(self, tmp_path, wangjing, capsys, content, message):
        good = {"type": "FeatureCollection", "features": [feature({"name": "双井"}, POINT)]}
        bad = content if isinstance(content, str) else {**content}
        if isinstance(bad, dict) and bad.get("features"):
            bad["features"] = good["features"] + bad["features"]  # a good feature first: still nothing stored
        with pytest.raises(CommandError, match="未导入"):
            call_command("import_subdistrict_geojson", write(tmp_path, bad))
        assert message in capsys.readouterr().err
        assert not Subdistrict.objects.exclude(geometry=None).exists()


class TestShortfallMap:
    URL = reverse("reports:shortfall_map")

    def forecast(self, subdistrict, shortfall, year=2027):
        SeatForecast.objects.create(
            date=datetime.date(2026, 9, 1),
            subdistrict=subdistrict,
            year=year,
            cohort=1000,
            demand=900 + shortfall,
            seats=900,
            shortfall=shortfall,
        )

    def test_it_places_each_subdistrict_by_shortfall(self, client, bureau_official, placed, wangjing, shuangjing):
        self.forecast(wangjing, 120)
        self.forecast(wangjing, 150, year=2028)  # a later year is not the one shown
        self.forecast(shuangjing, -30)
        shuangjing.geometry = POINT
        shuangjing.save()
        data = client_for(client, bureau_official).get(self.URL).context["map_data"]
        assert data["year"] == 2027
        by_name = {p["name"]: p for p in data["points"]}
        assert by_name["望京"]["shortfall"] == 120
        assert (by_name["望京"]["lng"], by_name["望京"]["lat"]) == (116.48, 39.99)  # its kindergartens' centre
        assert (by_name["双井"]["lng"], by_name["双井"]["lat"]) == (116.47, 40.0)  # the imported point
        assert by_name["双井"]["shortfall"] == -30

    def test_it_shows_a_subdistrict_official_only_their_area(
        self, client, wangjing_official, placed, wangjing, shuangjing
    ):
        self.forecast(wangjing, 120)
        self.forecast(shuangjing, 40)
        response = client_for(client, wangjing_official).get(self.URL)
        assert [p["name"] for p in response.context["map_data"]["points"]] == ["望京"]


class TestPublicMap:
    def test_it_maps_only_kindergartens_with_a_public_page_linking_to_it(self, client, placed, kg_c):
        kg_c.licence_status = LicenceStatus.CLOSED
        kg_c.save()
        points = client.get(reverse("public:index")).context["map_data"]["points"]
        assert sorted(p["name"] for p in points) == ["望京第一幼儿园", "望京花园幼儿园"]
        assert {p["url"] for p in points} == {
            reverse("public:kindergarten_detail", args=[code]) for code in ("KGA0001", "KGB0001")
        }
