"""Fixtures shared by the enrolment tests: the current school year and a report's form data."""

import pytest

from .factories import SchoolYearFactory


@pytest.fixture
def year(db):
    return SchoolYearFactory(start_year=2026)


def report_data(classes: list[dict], ages: dict[int, int], *, seats: int = 0, action: str = "save") -> dict:
    """POST data for the report form: `classes` are dicts of the form's fields (plus `id`, `delete`)."""
    data = {
        "classes-TOTAL_FORMS": str(len(classes)),
        "classes-INITIAL_FORMS": str(sum(1 for c in classes if c.get("id"))),
        "classes-MIN_NUM_FORMS": "0",
        "classes-MAX_NUM_FORMS": "1000",
        "ages-international_seats_used": str(seats),
        action: "1",
    }
    for i, c in enumerate(classes):
        data[f"classes-{i}-id"] = str(c.get("id", ""))
        for field in ("class_type", "name", "approved_size", "enrolled"):
            data[f"classes-{i}-{field}"] = str(c.get(field, ""))
        if c.get("delete"):
            data[f"classes-{i}-DELETE"] = "on"
    for age in (2, 3, 4, 5, 6):
        data[f"ages-age_{age}"] = str(ages.get(age, 0))
    return data
