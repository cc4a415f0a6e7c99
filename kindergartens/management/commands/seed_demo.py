"""`manage.py seed_demo [--seed N]`: realistic demo data for every app, then the demo logins.

Each project app may keep its demo data in `<app>/demo.py` with a `seed(rng) -> str` function
(returning a one-line summary); they run in INSTALLED_APPS order, so the registry
(`kindergartens.demo`) exists before apps that hang data off kindergartens. Every seeder gets
its own `random.Random(seed)`, so adding one app's data never changes another's. Seeders are
idempotent: running the command again creates only what is missing.
"""

from __future__ import annotations

import importlib
import importlib.util
import random
from types import ModuleType

from django.apps import AppConfig, apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import demo as logins
from kindergartens.models import Subdistrict

DEMO_SEED = 2025


def demo_modules() -> list[tuple[AppConfig, ModuleType]]:
    """The `demo` modules of the project's own apps (not third-party ones), in INSTALLED_APPS order."""
    found = []
    for app_config in apps.get_app_configs():
        if not app_config.path.startswith(str(settings.BASE_DIR)):
            continue
        name = f"{app_config.name}.demo"
        if importlib.util.find_spec(name) is not None:
            module = importlib.import_module(name)
            if callable(getattr(module, "seed", None)):
                found.append((app_config, module))
    return found


class Command(BaseCommand):
    help = "生成演示数据（约 400 所幼儿园和社区办园点、每种角色一个账号）；可重复运行，不会重复创建。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=DEMO_SEED, help="随机种子，默认 2025")

    def handle(self, *args, seed: int, **options) -> None:
        try:
            with transaction.atomic():
                for app_config, module in demo_modules():
                    summary = module.seed(random.Random(seed))
                    self.stdout.write(f"  {app_config.verbose_name}：{summary}")
        except Subdistrict.DoesNotExist as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(_("演示数据已就绪。")))
        self.stdout.write("")
        self.stdout.write(_("演示账号（密码均为 %(password)s）：") % {"password": logins.DEMO_PASSWORD})
        header = (_("用户名"), _("密码"), _("角色"), _("范围"))
        self.stdout.write(logins.format_table(header, logins.login_rows()))
