"""What the governance demo seeders share."""

from __future__ import annotations

import random

from ..choices import KindergartenGrade

CHANGE_REASON = "演示数据"
DEMO_CODE_PREFIX = "DEMO-"
# The demo director of a non-profit private kindergarten (the registry's demo director runs a public one).
PRIVATE_DIRECTOR = "director_private"
GRADES = (
    [KindergartenGrade.MODEL]
    + [KindergartenGrade.FIRST] * 4
    + [KindergartenGrade.SECOND] * 4
    + [KindergartenGrade.THIRD] * 1
)


def grade_of(rng: random.Random) -> str:
    return rng.choice(GRADES)
