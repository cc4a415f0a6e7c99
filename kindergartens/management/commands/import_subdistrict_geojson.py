"""`manage.py import_subdistrict_geojson FILE.geojson [--user USERNAME]`: sub-district points or boundaries.

All features or none: on any error every problem is printed and nothing is stored (see `kindergartens.geo`).
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kindergartens.geo import GeoImportRejected, subdistrict_geometries_import


class Command(BaseCommand):
    help = "导入街道/地区的点位或边界（GeoJSON FeatureCollection，properties 含 code 或 name）；有错则整个文件不导入。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="GeoJSON 文件")
        parser.add_argument("--user", help="记入变更记录的导入人（用户名）")

    def handle(self, *args, file: str, user: str | None = None, **options) -> None:
        importer = None
        if user:
            try:
                importer = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(_("找不到用户“%(user)s”。") % {"user": user}) from None
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("找不到文件“%(file)s”。") % {"file": file})
        try:
            result = subdistrict_geometries_import(text=path.read_text(encoding="utf-8"), user=importer)
        except UnicodeDecodeError:
            raise CommandError(_("文件须为 UTF-8 编码的文本。")) from None
        except GeoImportRejected as rejected:
            for line in rejected.errors:
                self.stderr.write(line)
            raise CommandError(str(rejected)) from None
        self.stdout.write(self.style.SUCCESS(_("导入完成：更新 %(n)d 个街道/地区的位置。") % {"n": result.updated}))
