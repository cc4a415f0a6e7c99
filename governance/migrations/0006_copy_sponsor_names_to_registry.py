"""Sponsor names moved to the registry (kindergartens 0006): a credit record's name, which only the
admin or the demo could set before, is copied into an empty registry field, so the first refresh
(which copies the registry's name onto the record) does not blank it."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def copy_names(apps, schema_editor):
    Kindergarten = apps.get_model("kindergartens", "Kindergarten")
    CreditRecord = apps.get_model("governance", "CreditRecord")
    names = CreditRecord.objects.filter(kindergarten=OuterRef("pk")).values("sponsor_name")
    Kindergarten.objects.filter(sponsor_name="", credit_record__isnull=False).exclude(
        credit_record__sponsor_name=""
    ).update(sponsor_name=Subquery(names))


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0005_subsidy_facts"),
        ("kindergartens", "0006_kindergarten_sponsor_name"),
    ]

    operations = [migrations.RunPython(copy_names, migrations.RunPython.noop)]
