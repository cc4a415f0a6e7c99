"""A kindergarten's evaluation report as PDF: real WeasyPrint output read back with poppler, and
who may download which report."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from inspections.choices import EvaluationStatus
from inspections.models import ExternalEvaluation
from inspections.pdf import render_evaluation_pdf
from tests.conftest import client_for

from ..factories import FINDINGS, SUMMARY_A, submitted

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not (shutil.which("pdftotext") and shutil.which("pdffonts")), reason="poppler-utils is not installed"
    ),
]


def pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_fonts(content: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split()[0] for line in out.splitlines()[2:]]


def url(evaluation: ExternalEvaluation) -> str:
    return reverse("inspections:evaluation_report_pdf", args=[evaluation.pk])


def test_it_renders_the_report_in_chinese_with_an_embedded_cjk_font(world, kg_a, director_a, tmp_path):
    submitted(world.cycle, kg_a, director_a)  # the self-assessment rates every point 3; the evaluators 4
    content = render_evaluation_pdf(world.evaluations["A"])
    assert content.startswith(b"%PDF")
    text = pdf_text(content, tmp_path)
    for expected in (
        "幼儿园保育教育质量督导评估报告",
        "望京第一幼儿园",
        "KGA0001",
        world.cycle.name,
        "评估结果等级",
        "优秀",
        SUMMARY_A,
        "各评估方面平均得分",
        "办园方向",
        "教师队伍",
        "4.00",  # external average per area
        "3.00",  # self average per area
        "-1.00",  # self − external
        "考查要点评分与评估发现",
        "测试要点：党建工作（1）",
        FINDINGS,
        "问题清单与整改情况",
        "户外活动时间不足",
        "午睡室通风记录缺失",
        "已验证",
        "待整改",
    ):
        assert expected in text, expected
    assert "内部稿" not in text
    assert any("CJK" in font for font in pdf_fonts(content, tmp_path))


def test_a_report_without_a_self_assessment_shows_the_external_ratings_only(world, tmp_path):
    text = pdf_text(render_evaluation_pdf(world.evaluations["B"]), tmp_path)
    assert "无已提交的自评" in text and "合格" in text
    assert "自评 − 督导" not in text
    assert "其中 2 项已逾期未整改" in text


def test_an_unpublished_report_says_so(world, tmp_path):
    text = pdf_text(render_evaluation_pdf(world.evaluations["C"]), tmp_path)
    assert "内部稿" in text and "尚未公布" in text


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("bureau_official", "ABCDE"),
        ("wangjing_official", "ABE"),
        ("director_a", "A"),
        ("director_b", "B"),
        ("inspector", "BC"),  # assigned B and C; C is unpublished but the evaluator's work
    ],
)
def test_only_those_who_may_see_the_evaluation_get_its_report(client, world, personas, persona, visible):
    client_for(client, personas[persona])
    for letter, evaluation in world.evaluations.items():
        response = client.get(url(evaluation))
        expected = 200 if letter in visible else 404
        assert response.status_code == expected, (persona, letter, response.status_code)
        if expected == 200:
            assert response["Content-Type"] == "application/pdf"
            assert response.content.startswith(b"%PDF")
            assert "inline" in response["Content-Disposition"]


def test_a_director_gets_the_report_only_once_it_is_published(client, world, director_a):
    ExternalEvaluation.objects.filter(pk=world.evaluations["A"].pk).update(status=EvaluationStatus.SUBMITTED)
    assert client_for(client, director_a).get(url(world.evaluations["A"])).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    response = client.get(url(world.evaluations["A"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
