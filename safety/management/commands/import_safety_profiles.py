"""`manage.py import_safety_profiles FILE.xlsx [--user USERNAME]`: the safety profiles import from a shell.

Same rules as the upload page: all rows or none, matched by kindergarten code, recorded in history. On
rejection every error is printed (row, column, reason) and the command exits non-zero.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from common.spreadsheets import ImportRejected, SpreadsheetError
from safety.services import import_safety_profiles


class Command(BaseCommand):
    help = "从 Excel (.xlsx) 导入安全工作档案：按幼儿园编码新建或更新；任何一处有错则整个文件不导入。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="导入文件（.xlsx）")
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
            with path.open("rb") as handle:
                result = import_safety_profiles(file=File(handle, name=path.name), user=importer)
        except SpreadsheetError as error:
            raise CommandError(error.message) from None
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        except ImportRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(
                    _("第 %(row)d 行\t%(column)s\t%(reason)s")
                    % {"row": error.row, "column": error.column or "—", "reason": error.message}
                )
            raise CommandError(str(rejected)) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("导入完成：新建 %(created)d 份档案，更新 %(updated)d 份，未变化 %(unchanged)d 份。")
                % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
            )
        )
