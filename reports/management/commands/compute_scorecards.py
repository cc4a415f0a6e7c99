"""`manage.py compute_scorecards [--year 2025]`: (re)compute a school year's draft scorecards."""

from django.core.management.base import BaseCommand

from reports.scorecards import compute_scorecards, school_year_of
from reports.services import local_today


class Command(BaseCommand):
    help = "Computes the sub-district scorecards of a school year (default: the current one) from its snapshots."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, help="start year of the school year, e.g. 2025 for 2025–2026")

    def handle(self, *args, year: int | None = None, **options) -> None:
        year = year or school_year_of(local_today())
        count = compute_scorecards(year=year)
        if count:
            self.stdout.write(self.style.SUCCESS(f"{year}: {count} scorecards computed"))
        else:
            self.stdout.write(f"{year}: nothing computed (published already, no snapshots, or no method in force)")
