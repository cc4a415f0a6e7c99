"""`manage.py scan_fee_alerts [--date YYYY-MM-DD]`: raise the fee alerts the data calls for."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand

from governance.services import fee_alerts_scan


class Command(BaseCommand):
    help = "Raises fee alerts: missing filings of the school year, fees above their caps, sponsor payments."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args, date: datetime.date | None = None, **options) -> None:
        self.stdout.write(f"{fee_alerts_scan(day=date)} alert(s) raised")
