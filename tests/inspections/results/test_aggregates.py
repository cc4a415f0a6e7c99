"""The read side of results (`inspections.results`) on hand-counted data (`factories.results_world`)."""

import pytest

from inspections import results
from inspections.choices import ResultGrade
from tests.factories import UserFactory

from ..factories import cycle, external_evaluation

pytestmark = pytest.mark.django_db

E, G, Q, U = ResultGrade.EXCELLENT, ResultGrade.GOOD, ResultGrade.QUALIFIED, ResultGrade.UNQUALIFIED


def rows_by_label(rows):
    return {
        row.label: (row.grade_counts, row.evaluated, row.planned, row.open_issues, row.overdue_issues) for row in rows
    }


def test_it_counts_grades_coverage_and_issues_per_subdistrict(world, bureau_official):
    overview = results.overview(bureau_official, world.cycle)
    assert rows_by_label(overview.by_subdistrict) == {
        # grades (优秀, 良好, 合格, 不合格), published, planned, unresolved issues, overdue
        "望京": ([1, 0, 1, 1], 3, 3, 3, 2),
        "双井": ([0, 1, 0, 0], 1, 3, 1, 1),  # C's submitted 良好 is not a result
    }


def test_it_counts_per_ownership_and_sponsor_type(world, bureau_official):
    overview = results.overview(bureau_official, world.cycle)
    assert rows_by_label(overview.by_ownership) == {
        "公办": ([1, 0, 1, 0], 2, 4, 4, 3),
        "民办": ([0, 1, 0, 1], 2, 2, 0, 0),
    }
    assert [row.label for row in overview.by_ownership] == ["公办", "民办"]
    assert rows_by_label(overview.by_sponsor_type) == {
        "教育部门": ([1, 0, 1, 0], 2, 4, 4, 3),
        "民办非营利性": ([0, 1, 0, 0], 1, 1, 0, 0),
        "民办营利性": ([0, 0, 0, 1], 1, 1, 0, 0),
    }
    total = overview.total
    assert (total.grade_counts, total.evaluated, total.planned, total.open_issues, total.overdue_issues) == (
        [1, 1, 1, 1],
        4,
        6,
        4,
        3,
    )
    assert total.good_or_better == 50


def test_it_keeps_each_official_to_their_scope(world, wangjing_official, inspector):
    assert rows_by_label(results.overview(wangjing_official, world.cycle).by_subdistrict) == {
        "望京": ([1, 0, 1, 1], 3, 3, 3, 2)
    }
    # The inspector is assigned B and C: C's evaluation is not published, its plan and issue count.
    assert rows_by_label(results.overview(inspector, world.cycle).by_subdistrict) == {
        "望京": ([0, 0, 1, 0], 1, 1, 2, 2),
        "双井": ([0, 0, 0, 0], 0, 1, 1, 1),
    }


def test_it_narrows_to_one_subdistrict_and_to_the_chosen_cycle(world, bureau_official, kg_a):
    overview = results.overview(bureau_official, world.cycle, subdistrict=kg_a.subdistrict)
    assert [row.label for row in overview.by_subdistrict] == ["望京"]
    later = cycle(start_year=world.cycle.start_year + 3, by=bureau_official)
    assert results.overview(bureau_official, later).total.evaluated == 0
    assert results.overview(bureau_official, None).by_subdistrict == []


def test_it_lists_one_row_per_published_result_with_issue_counts(world, bureau_official, wangjing_official, director_a):
    rows = {
        e.kindergarten.code: (e.grade, e.open_issues, e.overdue_issues) for e in results.result_rows(bureau_official)
    }
    assert rows == {"KGA0001": (E, 1, 0), "KGB0001": (Q, 2, 2), "KGD0001": (G, 0, 0), "KGE0001": (U, 0, 0)}
    assert {e.kindergarten.code for e in results.result_rows(wangjing_official)} == {"KGA0001", "KGB0001", "KGE0001"}
    assert [e.kindergarten.code for e in results.result_rows(director_a)] == ["KGA0001"]
    assert list(results.result_rows(UserFactory(is_active=False))) == []


def test_it_annotates_the_latest_published_result_per_kindergarten(world, bureau_official, kg_a):
    older = cycle(start_year=world.cycle.start_year - 3, by=bureau_official)
    external_evaluation(older, kg_a, status="published", grade=U)
    newer = cycle(start_year=world.cycle.start_year + 3, by=bureau_official)
    external_evaluation(newer, kg_a, status="draft", grade=Q)  # not published: never the latest
    latest = {k.code: (k.latest_grade, k.latest_cycle_name) for k in results.public_kindergartens()}
    assert latest["KGA0001"] == (E, world.cycle.name)
    assert latest["KGC0001"] == (None, None)
    assert latest["KGF0001"] == (None, None)


def test_it_gathers_a_kindergartens_quality_section_within_scope(world, director_a, director_b, kg_a, kg_c):
    quality = results.kindergarten_quality(director_a, kg_a)
    assert quality.latest == world.evaluations["A"]
    assert quality.cycle == world.cycle
    assert quality.assignment.kindergarten == kg_a
    assert (quality.open_issues, quality.overdue_issues) == (1, 0)
    assert [i.description for i in quality.issues] == ["户外活动时间不足"]
    # Another director sees nothing of A, even when asked for it.
    other = results.kindergarten_quality(director_b, kg_a)
    assert other.latest is None and other.open_issues == 0 and other.assignment is None
    # C's evaluation is only submitted: no result yet.
    assert results.kindergarten_quality(director_a, kg_c).latest is None
