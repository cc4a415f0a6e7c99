"""`manage.py refresh_credit [--date YYYY-MM-DD]`: draw the credit events and rescore the records."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand

from governance.services import credit_refresh


class Command(BaseCommand):
    help = "Credit records: events drawn from orders, cases, fee alerts, hazards and evaluations; levels rescored."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args, date: datetime.date | None = None, **options) -> None:
        self.stdout.write(f"{credit_refresh(day=date)} credit event(s) drawn")
