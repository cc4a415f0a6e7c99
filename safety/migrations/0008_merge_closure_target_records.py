"""Joins the two lines of the safety migrations: 0006 (the alarm-test interval and the closure
rate's target, after 0003) and 0004 → 0007 (checks, then incidents, footage and posts). Nothing
to do: they touch different tables."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("safety", "0006_hazard_closure_target"), ("safety", "0007_records")]

    operations = []
