"""Evidence files of a self-assessment: stored under MEDIA_ROOT with random names, checked on the way in.

The checks themselves (kinds, content, size) are `common.files`', tested in tests/common/test_files.py.
"""

import pytest
from django.core.exceptions import ValidationError

from ..factories import EXE_BYTES, PDF_BYTES, upload


@pytest.mark.django_db
def test_it_stores_files_under_media_root_with_random_names(kg_a, director_a, bureau_official, media_root):
    from inspections import services

    from ..factories import assign, cycle

    evaluation_cycle = cycle(by=bureau_official)
    assign(evaluation_cycle, kg_a)
    assessment = services.self_assessment_start(kindergarten=kg_a, cycle=evaluation_cycle, user=director_a)
    attachment = services.self_assessment_attachment_add(
        assessment=assessment, user=director_a, file=upload("../../etc/passwd.pdf", PDF_BYTES)
    )
    assert attachment.original_name == "passwd.pdf"
    assert attachment.file.path.startswith(str(media_root))
    assert "passwd" not in attachment.file.name and ".." not in attachment.file.name
    assert attachment.file.name.startswith(f"inspections/self-assessments/{kg_a.pk}/")
    with pytest.raises(ValidationError):
        services.self_assessment_attachment_add(assessment=assessment, user=director_a, file=upload("x.pdf", EXE_BYTES))


def test_every_attachment_model_keeps_its_files_per_kindergarten():
    from inspections.models import (
        ExternalEvaluation,
        ExternalEvaluationAttachment,
        IssueAttachment,
        QualityIssue,
        SelfAssessment,
        SelfAssessmentAttachment,
    )

    folders = [
        SelfAssessmentAttachment(assessment=SelfAssessment(kindergarten_id=7)).upload_folder(),
        ExternalEvaluationAttachment(evaluation=ExternalEvaluation(kindergarten_id=7)).upload_folder(),
        IssueAttachment(issue=QualityIssue(kindergarten_id=7)).upload_folder(),
    ]
    assert folders == ["inspections/self-assessments/7", "inspections/external-evaluations/7", "inspections/issues/7"]
