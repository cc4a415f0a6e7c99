"""Sub-district points and boundaries the bureau imports as GeoJSON, for the maps.

Format: a FeatureCollection whose features each name a sub-district in ``properties`` (``code``,
its statistics code, or ``name``, its Chinese name) and carry a ``Point``, ``Polygon`` or
``MultiPolygon`` geometry in lon/lat degrees. The file is checked whole before anything is stored:
one bad feature rejects the file and lists every problem.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Subdistrict

GEOMETRY_TYPES = ("Point", "Polygon", "MultiPolygon")


class GeoImportRejected(Exception):
    """The file was not imported; `errors` says why (one line each)."""

    def __init__(self, errors: list[str]):
        super().__init__(_("文件未导入：%(n)d 处错误。") % {"n": len(errors)})
        self.errors = errors


@dataclass(frozen=True)
class GeoImportResult:
    updated: int


def _position_ok(position) -> bool:
    if not isinstance(position, list) or len(position) < 2:
        return False
    lon, lat = position[0], position[1]
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lon, lat))
    return numbers and -180 <= lon <= 180 and -90 <= lat <= 90


def _ring_ok(ring) -> bool:
    return isinstance(ring, list) and len(ring) >= 4 and all(_position_ok(p) for p in ring)


def _geometry_error(geometry) -> str | None:
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
        return _("几何类型须为 Point、Polygon 或 MultiPolygon")
    coordinates = geometry.get("coordinates")
    kind = geometry["type"]
    if kind == "Point":
        valid = _position_ok(coordinates)
    elif kind == "Polygon":
        valid = isinstance(coordinates, list) and bool(coordinates) and all(_ring_ok(r) for r in coordinates)
    else:
        valid = (
            isinstance(coordinates, list)
            and bool(coordinates)
            and all(isinstance(p, list) and p and all(_ring_ok(r) for r in p) for p in coordinates)
        )
    return None if valid else _("坐标无效（应为经度 −180–180、纬度 −90–90 的数字；多边形每环至少 4 个点）")


def parse_geojson(text: str) -> dict[int, dict]:
    """The geometry for each sub-district pk named in the file; raises `GeoImportRejected`."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise GeoImportRejected([_("不是有效的 JSON：%(error)s") % {"error": error}]) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise GeoImportRejected([_("文件须为 GeoJSON FeatureCollection。")])
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise GeoImportRejected([_("FeatureCollection 中没有要素（features）。")])
    by_code = {s.code: s for s in Subdistrict.objects.all()}
    by_name = {s.name: s for s in by_code.values()}
    errors: list[str] = []
    found: dict[int, dict] = {}
    for number, feature in enumerate(features, start=1):
        prefix = _("第 %(n)d 个要素：") % {"n": number}
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            errors.append(prefix + _("不是 GeoJSON Feature"))
            continue
        properties = feature.get("properties") or {}
        code, name = str(properties.get("code") or "").strip(), str(properties.get("name") or "").strip()
        subdistrict = by_code.get(code) if code else by_name.get(name)
        if subdistrict is None:
            label = code or name or _("（未填写）")
            errors.append(prefix + _("properties 中的 code 或 name“%(label)s”不是已知的街道/地区") % {"label": label})
            continue
        problem = _geometry_error(feature.get("geometry"))
        if problem:
            errors.append(prefix + problem)
            continue
        if subdistrict.pk in found:
            errors.append(prefix + _("“%(name)s”在文件中出现多次") % {"name": subdistrict.name})
            continue
        found[subdistrict.pk] = feature["geometry"]
    if errors:
        raise GeoImportRejected(errors)
    return found


@transaction.atomic
def subdistrict_geometries_import(*, text: str, user=None) -> GeoImportResult:
    """Store the file's geometries on their sub-districts: all of them or, on any error, none."""
    geometries = parse_geojson(text)
    subdistricts = Subdistrict.objects.select_for_update().filter(pk__in=geometries)
    for subdistrict in subdistricts:
        subdistrict.geometry = geometries[subdistrict.pk]
        subdistrict._history_user = user
        subdistrict.full_clean()
        subdistrict.save(update_fields=["geometry"])
    return GeoImportResult(updated=len(geometries))


def _outer_positions(geometry: dict) -> Iterable[list]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"][0]
    return [p for polygon in geometry["coordinates"] for p in polygon[0]]


def geometry_point(geometry: dict | None) -> tuple[float, float] | None:
    """(lon, lat) to draw a sub-district at: the point itself, or the mean of the outer rings' vertices."""
    if not geometry:
        return None
    if geometry.get("type") == "Point":
        return float(geometry["coordinates"][0]), float(geometry["coordinates"][1])
    positions = list(_outer_positions(geometry))
    if not positions:
        return None
    return (
        sum(float(p[0]) for p in positions) / len(positions),
        sum(float(p[1]) for p in positions) / len(positions),
    )
