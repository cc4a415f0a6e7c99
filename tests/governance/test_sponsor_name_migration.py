"""governance 0006: a credit record's sponsor name reaches the registry before the first refresh."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("governance", "0005_subsidy_facts"), ("kindergartens", "0006_kindergarten_sponsor_name")]
AFTER = [("governance", "0006_copy_sponsor_names_to_registry")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_record_names_are_copied_into_empty_registry_fields():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Subdistrict = apps.get_model("kindergartens", "Subdistrict")
    Kindergarten = apps.get_model("kindergartens", "Kindergarten")
    CreditRecord = apps.get_model("governance", "CreditRecord")
    subdistrict = Subdistrict.objects.first()
    fields = {
        "subdistrict": subdistrict,
        "sponsor_type": "private_nonprofit",
        "inclusive_status": "non_inclusive_private",
    }
    named = Kindergarten.objects.create(code="MIG0001", name="甲幼儿园", **fields)
    kept = Kindergarten.objects.create(code="MIG0002", name="乙幼儿园", sponsor_name="登记的举办者", **fields)
    blank = Kindergarten.objects.create(code="MIG0003", name="丙幼儿园", **fields)
    CreditRecord.objects.create(kindergarten=named, sponsor_name="北京甲教育公司")
    CreditRecord.objects.create(kindergarten=kept, sponsor_name="档案里的旧名称")
    CreditRecord.objects.create(kindergarten=blank, sponsor_name="")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    names = dict(apps.get_model("kindergartens", "Kindergarten").objects.values_list("code", "sponsor_name"))
    assert names["MIG0001"] == "北京甲教育公司"
    assert names["MIG0002"] == "登记的举办者"  # the registry's own name wins
    assert names["MIG0003"] == ""
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
