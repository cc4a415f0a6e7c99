"""Fixtures shared by the quality-evaluation tests (sub-domain folders add their own).

Uploaded files of these tests go to a temporary MEDIA_ROOT, never to the project's var/. (Fast
password hashing comes from the autouse `fast_password_hashing` of tests/conftest.py.)"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.choices import Role
from inspections import services
from tests.factories import UserFactory

from .factories import PDF_BYTES, assign, cycle, rate_all, upload


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def evaluation_cycle(bureau_official, kg_a, kg_b, kg_c):
    """This year's cycle on a published district handbook, with A, B and C in the plan."""
    result = cycle(by=bureau_official)
    for kindergarten in (kg_a, kg_b, kg_c):
        assign(result, kindergarten)
    return result


@pytest.fixture
def self_assessment_world(personas, kg_a, kg_b, kg_c):
    """A self-assessment (with a rating and a file) for each of A, B and C."""
    evaluation_cycle = cycle(by=personas["bureau_official"])
    director_c = UserFactory(role=Role.DIRECTOR, kindergarten=kg_c)
    directors = {kg_a: personas["director_a"], kg_b: personas["director_b"], kg_c: director_c}
    for kindergarten, director in directors.items():
        assign(evaluation_cycle, kindergarten)
        assessment = services.self_assessment_start(kindergarten=kindergarten, cycle=evaluation_cycle, user=director)
        rate_all(assessment, director, skip=14)
        services.self_assessment_attachment_add(assessment=assessment, user=director, file=upload("a.pdf", PDF_BYTES))
    return evaluation_cycle


def queries(client, url: str) -> int:
    """The number of queries a GET of `url` costs (asserting it answers 200)."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)
