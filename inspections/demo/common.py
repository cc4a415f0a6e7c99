"""What the demo seeders share: the demo logins and the director account of a kindergarten."""

from __future__ import annotations

from accounts.choices import Role
from accounts.models import User
from kindergartens.models import Kindergarten

DEMO_DIRECTOR_PREFIX = "demo-director-"


BUREAU_LOGIN = "bureau"


DIRECTOR_LOGIN = "director"
INSPECTOR_LOGIN = "inspector"


def director_for(kindergarten: Kindergarten) -> User:
    """The kindergarten's director account: the demo login if it is theirs, else one that cannot log in."""
    director = User.objects.filter(role=Role.DIRECTOR, kindergarten=kindergarten, is_active=True).first()
    if director is not None:
        return director
    director = User(
        username=f"{DEMO_DIRECTOR_PREFIX}{kindergarten.code.lower()}",
        role=Role.DIRECTOR,
        kindergarten=kindergarten,
        first_name=f"{kindergarten.name}园长",
    )
    director.set_unusable_password()
    director.full_clean()
    director._change_reason = "演示数据"
    director.save()
    return director
