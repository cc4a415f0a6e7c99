from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BUREAU_ADMIN = "bureau_admin", _("区教委管理员")
    BUREAU_OFFICIAL = "bureau_official", _("区教委工作人员")
    SUBDISTRICT_OFFICIAL = "subdistrict_official", _("街道/地区工作人员")
    INSPECTOR = "inspector", _("督学/评估专家")
    DIRECTOR = "director", _("园长")


BUREAU_ROLES = frozenset({Role.BUREAU_ADMIN, Role.BUREAU_OFFICIAL})
