"""Finding kindergartens for parents: filters, the point a parent starts from, distances.

Everything here reads only what the disclosure list (信息公示清单) allows: kindergartens with a
public page (`inspections.results.public_kindergartens`: not closed, not unlicensed), their
registry facts, the care-and-education fee of their latest fee filing, and their latest
*published* evaluation result. Never people (principal, staff, children).

Distance: the parent types an address; it is matched against the kindergartens' addresses and
names and the sub-districts' names (no online geocoder exists here), giving a point: the matching
kindergartens' coordinates (their centroid when several match) or the centroid of a sub-district's
kindergartens. The database orders by an equirectangular approximation (exact enough inside a
district); the kilometres shown are haversine.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.cache import cache
from django.db.models import F, FloatField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.choices import FeeItemKind
from governance.models import FeeItem
from inspections import results
from kindergartens.choices import PUBLIC_SPONSORS, InclusiveStatus
from kindergartens.models import Kindergarten, Subdistrict

EARTH_RADIUS_KM = 6371.0088
GEO_INDEX_KEY = "public:geo-index"
GEO_INDEX_SECONDS = 300

TYPE_PUBLIC, TYPE_INCLUSIVE, TYPE_OTHER_PRIVATE = "public", "inclusive", "private"
TYPES = {
    TYPE_PUBLIC: _("公办园"),
    TYPE_INCLUSIVE: _("普惠性民办园"),
    TYPE_OTHER_PRIVATE: _("其他民办园"),
}

LIST_FIELDS = (
    "id",
    "code",
    "name",
    "address",
    "latitude",
    "longitude",
    "sponsor_type",
    "inclusive_status",
    "recognition_date",
    "recognition_expiry",
    "licence_status",
    "approved_capacity",
    "has_toddler_classes",
    "subdistrict__name",
)


def inclusive_now_q(day) -> Q:
    """A private kindergarten whose inclusive recognition covers `day` (as `Kindergarten.is_inclusive_on`)."""
    return (
        Q(inclusive_status=InclusiveStatus.INCLUSIVE_PRIVATE, recognition_date__lte=day)
        & (Q(recognition_expiry__isnull=True) | Q(recognition_expiry__gt=day))
        & ~Q(sponsor_type__in=PUBLIC_SPONSORS)
    )


def public_type(kindergarten: Kindergarten, day) -> str:
    if kindergarten.is_public:
        return TYPE_PUBLIC
    return TYPE_INCLUSIVE if kindergarten.is_inclusive_on(day) else TYPE_OTHER_PRIVATE


def care_fee_subquery(field: str = "monthly_amount") -> Subquery:
    """The care-and-education fee (元/月) of the kindergarten's latest fee filing."""
    items = FeeItem.objects.filter(filing__kindergarten=OuterRef("pk"), item=FeeItemKind.CARE_EDUCATION).order_by(
        "-filing__school_year"
    )
    return Subquery(items.values(field)[:1])


def public_queryset() -> QuerySet:
    """The kindergartens parents may find, with the latest published result and filed fee annotated."""
    return (
        results.public_kindergartens()
        .only(*LIST_FIELDS)
        .annotate(care_fee=care_fee_subquery(), fee_school_year=care_fee_subquery("filing__school_year"))
    )


# --- where the parent starts from ---------------------------------------------------------------

_NOISE = re.compile(r"[\s,，.。、;；:：()（）\-—#/]+")
_PREFIXES = ("北京市", "北京", "朝阳区")
_SUBDISTRICT_SUFFIXES = ("街道办事处", "街道", "地区", "乡", "镇")


def normalise(text: str) -> str:
    text = _NOISE.sub("", text or "").lower()
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return text


def _subdistrict_key(name: str) -> str:
    key = normalise(name)
    for suffix in _SUBDISTRICT_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            return key[: -len(suffix)]
    return key


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float
    label: str


def _geo_index() -> dict:
    """Addresses, names and coordinates of the public kindergartens, and the sub-districts, cached."""
    index = cache.get(GEO_INDEX_KEY)
    if index is None:
        rows = (
            Kindergarten.objects.filter(
                licence_status__in=results.PUBLIC_LICENCE_STATUSES,
                latitude__isnull=False,
                longitude__isnull=False,
            )
            .order_by("code")
            .values_list("address", "name", "latitude", "longitude", "subdistrict_id")
        )
        index = {
            "kindergartens": [(normalise(a), normalise(n), float(lat), float(lon), s) for a, n, lat, lon, s in rows],
            "subdistricts": [(_subdistrict_key(n), n, pk) for pk, n in Subdistrict.objects.values_list("pk", "name")],
        }
        cache.set(GEO_INDEX_KEY, index, GEO_INDEX_SECONDS)
    return index


def _centroid(points: list[tuple[float, float]], label: str) -> Point:
    return Point(sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points), label)


def locate(address: str) -> Point | None:
    """The point an address typed by a parent stands for, or None when nothing matches.

    1. kindergartens whose address or name contains the typed text (their centroid);
    2. the typed text shortened from the end (a house number or building the registry lacks),
       down to four characters;
    3. a sub-district named in the text: the centroid of its kindergartens.
    """
    wanted = normalise(address)[:60]
    if len(wanted) < 2:
        return None
    index = _geo_index()
    kindergartens = index["kindergartens"]
    for length in range(len(wanted), 3, -1):
        part = wanted[:length]
        hits = [(lat, lon) for a, n, lat, lon, _s in kindergartens if part in a or part in n]
        if hits:
            return _centroid(hits, address.strip())
    for key, name, pk in index["subdistricts"]:
        if key and (key in wanted or wanted in key):
            hits = [(lat, lon) for _a, _n, lat, lon, s in kindergartens if s == pk]
            if hits:
                return _centroid(hits, name)
    if len(wanted) <= 3:
        hits = [(lat, lon) for a, n, lat, lon, _s in kindergartens if wanted in a or wanted in n]
        if hits:
            return _centroid(hits, address.strip())
    return None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def order_by_distance(kindergartens: QuerySet, point: Point) -> QuerySet:
    """Nearest first, in the database: squared equirectangular distance (cos(lat) is a constant here)."""
    k = math.cos(math.radians(point.latitude))
    lat = Cast("latitude", FloatField()) - Value(point.latitude)
    lon = (Cast("longitude", FloatField()) - Value(point.longitude)) * Value(k)
    return (
        kindergartens.filter(latitude__isnull=False, longitude__isnull=False)
        .annotate(distance_sq=lat * lat + lon * lon)
        .order_by(F("distance_sq").asc(), "code")
    )


# --- the filters ----------------------------------------------------------------------------------


@dataclass
class Search:
    """A parent's search, read from the query string; bad values are ignored, never an error page."""

    subdistrict: Subdistrict | None = None
    type: str = ""
    fee_max: Decimal | None = None
    toddler: bool = False
    seats_min: int | None = None
    q: str = ""
    address: str = ""
    point: Point | None = None
    address_unmatched: bool = False

    @classmethod
    def from_query(cls, params, subdistricts: list[Subdistrict]) -> Search:
        search = cls()
        wanted = params.get("subdistrict", "")
        search.subdistrict = next((s for s in subdistricts if str(s.pk) == wanted), None)
        search.type = params.get("type", "") if params.get("type", "") in TYPES else ""
        search.fee_max = _decimal(params.get("fee_max", ""))
        search.toddler = params.get("toddler", "") in ("1", "on", "true")
        search.seats_min = _positive_int(params.get("seats_min", ""))
        search.q = params.get("q", "").strip()[:50]
        search.address = params.get("address", "").strip()[:60]
        lat, lon = _float(params.get("lat", "")), _float(params.get("lng", ""))
        if lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
            search.point = Point(lat, lon, str(_("地图上选择的位置")))
        elif search.address:
            search.point = locate(search.address)
            search.address_unmatched = search.point is None
        return search

    def apply(self, kindergartens: QuerySet) -> QuerySet:
        day = timezone.localdate()
        if self.q:
            kindergartens = kindergartens.filter(Q(name__icontains=self.q) | Q(address__icontains=self.q))
        if self.subdistrict is not None:
            kindergartens = kindergartens.filter(subdistrict=self.subdistrict)
        if self.type == TYPE_PUBLIC:
            kindergartens = kindergartens.filter(sponsor_type__in=PUBLIC_SPONSORS)
        elif self.type == TYPE_INCLUSIVE:
            kindergartens = kindergartens.filter(inclusive_now_q(day))
        elif self.type == TYPE_OTHER_PRIVATE:
            kindergartens = kindergartens.exclude(sponsor_type__in=PUBLIC_SPONSORS).exclude(inclusive_now_q(day))
        if self.fee_max is not None:
            kindergartens = kindergartens.filter(care_fee__lte=self.fee_max)
        if self.toddler:
            kindergartens = kindergartens.filter(has_toddler_classes=True)
        if self.seats_min is not None:
            kindergartens = kindergartens.filter(approved_capacity__gte=self.seats_min)
        if self.point is not None:
            return order_by_distance(kindergartens, self.point)
        return kindergartens.order_by("subdistrict__code", "name", "code")

    def query_items(self) -> list[tuple[str, str]]:
        """The search as query-string pairs, for page links."""
        items = []
        for key, value in (
            ("q", self.q),
            ("subdistrict", self.subdistrict.pk if self.subdistrict else ""),
            ("type", self.type),
            ("fee_max", self.fee_max if self.fee_max is not None else ""),
            ("toddler", "1" if self.toddler else ""),
            ("seats_min", self.seats_min if self.seats_min is not None else ""),
            ("address", self.address),
        ):
            if value != "":
                items.append((key, str(value)))
        if self.point is not None and not self.address:
            items += [("lat", f"{self.point.latitude:.6f}"), ("lng", f"{self.point.longitude:.6f}")]
        return items


def annotate_rows(kindergartens, point: Point | None) -> list[Kindergarten]:
    """Adds `public_type` and `distance_km` (None without a point) to the rows of one page."""
    day = timezone.localdate()
    rows = list(kindergartens)
    for kg in rows:
        kg.public_type = public_type(kg, day)
        kg.public_type_label = TYPES[kg.public_type]
        kg.distance_km = None
        if point is not None and kg.latitude is not None and kg.longitude is not None:
            kg.distance_km = round(
                haversine_km(point.latitude, point.longitude, float(kg.latitude), float(kg.longitude)), 2
            )
    return rows


def _decimal(value: str) -> Decimal | None:
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and number >= 0 else None


def _positive_int(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 7 else None


def _float(value: str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None
