"""`manage.py import_statistics FILE.xlsx`: the annual statistics workbook, all or nothing.

Exit status: 0 imported (or nothing to change), 1 rejected because of bad rows (each listed on
stderr as sheet, row, column, reason), 2 the file itself cannot be used.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from common.spreadsheets import ImportRejected, SpreadsheetError
from enrollment.services import statistics_import

KINDS = (("classes", "班级"), ("children_by_age", "分年龄在园幼儿"), ("population", "儿童人口"))


class Command(BaseCommand):
    help = "导入学前教育统计报表（班级、分年龄在园幼儿、常住儿童人口）；任何错误都不会写入数据。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the .xlsx workbook")
        parser.add_argument("--user", help="username recorded in the change history (default: the system)")

    def handle(self, *args, file: Path, user: str | None = None, **options) -> None:
        history_user = None
        if user:
            history_user = get_user_model().objects.filter(username=user).first()
            if history_user is None:
                raise CommandError(f"用户“{user}”不存在。", returncode=2)
        if not file.is_file():
            raise CommandError(f"找不到文件：{file}", returncode=2)
        try:
            with file.open("rb") as handle:
                result = statistics_import(file=handle, user=history_user)
        except SpreadsheetError as error:
            raise CommandError(error.message, returncode=2) from error
        except ImportRejected as rejected:
            for e in rejected.errors:
                self.stderr.write(f"{e.sheet or '-'}\t第 {e.row} 行\t{e.column or '-'}\t{e.message}")
            raise CommandError(str(rejected), returncode=1) from rejected
        for kind, label in KINDS:
            self.stdout.write(
                f"{label}：新增 {result.created[kind]}，更新 {result.updated[kind]}，"
                f"删除 {result.deleted[kind]}，未变 {result.unchanged[kind]}"
            )
        for start in result.school_years_created:
            self.stdout.write(f"新建学年：{start}-{start + 1}")
        for submission in result.pending:
            self.stdout.write(
                f"未改动园长的{submission.get_status_display()}：{submission.kindergarten.code} "
                f"{submission.kindergarten.name} {submission.school_year.label}"
            )
        self.stdout.write(self.style.SUCCESS("导入完成。" if result.changed else "导入完成：数据没有变化。"))
