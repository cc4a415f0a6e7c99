"""The staff policy data (standards, credit requirements, plan period, pay benchmarks) is kept by
the bureau administrator on the admin site."""

import pytest
from django.urls import reverse

from tests.conftest import client_for


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["creditrequirement", "planperiod", "paybenchmark", "staffingstandard"])
def test_it_opens_the_staff_policy_data_on_the_admin_site(client, personas, model):
    admin = personas["bureau_admin"]
    admin.is_staff = True
    admin.save()
    response = client_for(client, admin).get(reverse(f"admin:staff_{model}_changelist"))
    assert response.status_code == 200
