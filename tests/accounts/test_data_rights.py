import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from curriculum import progress
from curriculum.models import PlanItem, ProgressEvent
from tests.curriculum.test_progress_seam import onboard
from tests.factories import PASSWORD, UserFactory, fresh_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def dana(client):
    user = UserFactory(email="dana@example.com", profile=None)
    onboard(user)
    progress.record(
        user,
        key="k1",
        area="coding",
        kind="drill_solved",
        tags=("hashing",),
        occurred_at=timezone.now(),
    )
    client.force_login(user)
    return user


def test_export_holds_everything_the_user_owns_and_nothing_of_others(client, dana, charlie):
    onboard(charlie)
    response = client.get(reverse("accounts:data_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["user"]["email"] == "dana@example.com"
    assert len(data["data"]["curriculum.planitem"]) == PlanItem.objects.filter(user=dana).count()
    assert [e["key"] for e in data["data"]["curriculum.progressevent"]] == ["k1"]
    assert data["data"]["accounts.profile"][0]["role"] == "mle"
    dumped = response.content.decode()
    assert "charlie@example.com" not in dumped
    assert "pbkdf2" not in dumped


def test_delete_needs_the_password_and_removes_everything(client, dana):
    fresh_login(client, dana)
    url = reverse("accounts:delete")
    response = client.post(url, {"password": "wrong", "confirm": "on"})
    assert response.status_code == 200
    assert "That password is not right." in response.content.decode()
    assert get_user_model().objects.filter(pk=dana.pk).exists()

    response = client.post(url, {"password": PASSWORD})
    assert "Tick the box to confirm." in response.content.decode()

    response = client.post(url, {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=dana.pk).exists()
    assert not PlanItem.objects.filter(user_id=dana.pk).exists()
    assert not ProgressEvent.objects.filter(user_id=dana.pk).exists()
    # Logged out.
    assert client.get(reverse("dashboard:today")).status_code == 302
