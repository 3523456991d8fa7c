"""Webhooks end to end: a receiver started here (an http.server thread on 127.0.0.1) checks
each delivery's signature as docs/api.md tells partners to; deliveries go out on the worker
(django-tasks-db's loop on the test database), are retried after a 500, and nothing is sent
for drafts. Partners' URLs may not point inside the network."""

import hashlib
import hmac
import http.server
import json
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims import services
from claims.models import Claim, Verdict
from tests.conftest import token_client
from webhooks.addresses import validate_webhook_url
from webhooks.models import Delivery, Endpoint

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ALL_EVENTS = list(services.EVENTS)


def verify(secret, header, body, tolerance=300):
    """docs/api.md's verification snippet, as a partner would run it."""
    fields = dict(part.split("=", 1) for part in header.split(","))
    timestamp = int(fields["t"])
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(expected.hexdigest(), fields["v1"])


class Receiver:
    """A partner's server: answers each POST with the next of ``statuses`` (then 200) and
    keeps what it received."""

    def __init__(self, statuses=()):
        self.statuses = list(statuses)
        self.received = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                answer = b'{"ok": true}' if status == 200 else b"Internal trouble"
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/counterclaim"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self):
        return [json.loads(body)["event"] for _, body in self.received]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    settings.WEBHOOK_RETRY_SECONDS = 0
    receiver = Receiver()
    yield receiver
    receiver.close()


@pytest.fixture
def endpoint(receiver, editor):
    return Endpoint.objects.create(
        partner="A newsroom", url=receiver.url, events=ALL_EVENTS, created_by=editor
    )


def test_a_publication_is_delivered_signed_on_the_worker(
    worker, make, editor, endpoint, receiver, editor_client
):
    claim = make.claim(status=Claim.Status.IN_REVIEW)
    response = editor_client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "publish", "_selected_action": [claim.pk]},
    )
    assert response.status_code == 302
    assert receiver.received == []  # queued, not sent in the request
    delivery = Delivery.objects.get()
    assert delivery.event == "claim.published"

    worker()

    [(headers, body)] = receiver.received
    assert verify(endpoint.secret, headers["Counterclaim-Signature"], body)
    assert not verify("another secret", headers["Counterclaim-Signature"], body)
    assert not verify(endpoint.secret, headers["Counterclaim-Signature"], body + b" ")
    assert headers["Counterclaim-Event"] == "claim.published"
    assert headers["Content-Type"] == "application/json"
    sent = json.loads(body)
    assert sent["event"] == "claim.published"
    assert sent["delivery"] == str(delivery.pk) == headers["Counterclaim-Delivery"]
    assert sent["claim"]["id"] == claim.pk
    assert sent["claim"]["quote"] == claim.quote
    assert sent["claim"]["verdict"]["label"] == claim.verdict.label
    assert sent["claim"]["url"].endswith(claim.get_absolute_url())
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED
    [attempt] = delivery.tries.all()
    assert attempt.status_code == 200 and attempt.response_excerpt == '{"ok": true}'

    # Listed per partner, with the answer.
    listing = editor_client.get(
        reverse("admin:webhooks_delivery_changelist"), {"endpoint__id__exact": endpoint.pk}
    ).content.decode()
    assert "claim.published" in listing and "200" in listing and "ms" in listing


def test_a_delivery_answered_with_500_is_retried_until_it_succeeds(
    worker, make, endpoint, receiver, editor
):
    receiver.statuses = [500, 500]
    claim = make.claim(status=Claim.Status.IN_REVIEW)
    services.take_step(claim, "publish", by=editor)

    worker()

    assert receiver.events() == ["claim.published"] * 3
    bodies = {body for _, body in receiver.received}
    assert len(bodies) == 1  # the same delivery each time
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.DELIVERED
    assert delivery.attempts == 3
    assert [a.status_code for a in delivery.tries.order_by("at", "pk")] == [500, 500, 200]
    assert delivery.tries.order_by("at", "pk").first().response_excerpt == "Internal trouble"
    from django_tasks_db.models import DBTaskResult

    runs = DBTaskResult.objects.filter(task_path="webhooks.tasks.deliver").order_by("enqueued_at")
    assert [run.status for run in runs] == ["FAILED", "FAILED", "SUCCESSFUL"]
    assert "HTTP 500; attempt 1 of 6" in runs[0].traceback


def test_a_delivery_gives_up_after_the_last_attempt(worker, make, endpoint, receiver, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    receiver.statuses = [500, 503, 500]
    claim = make.claim(status=Claim.Status.IN_REVIEW)
    services.take_step(claim, "publish", by=None)
    worker()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert len(receiver.received) == 2


def test_nothing_is_delivered_for_drafts_or_reviews(worker, make, editor, endpoint, receiver):
    claim = services.create_claim(
        by=editor,
        quote="A draft quote.",
        summary="A draft",
        claimant=make.actor(),
        source=make.source(),
    )
    services.change_claim(claim, by=editor, verdict=Verdict.objects.get(slug="true"), ruling="R")
    services.change_claim(claim, by=editor, verdict=Verdict.objects.get(slug="false"))
    make.claim(status=Claim.Status.DRAFT)
    in_review = make.claim(status=Claim.Status.IN_REVIEW)
    services.take_step(in_review, "send_back_to_draft", by=editor, note="Not yet.")
    worker()
    assert receiver.received == []
    assert not Delivery.objects.exists()


def test_corrections_verdict_changes_and_retractions_are_delivered(
    worker, make, editor, endpoint, receiver
):
    claim = make.claim()
    api = token_client(editor)
    response = api.patch(
        reverse("api:claim-detail", args=[claim.pk]),
        {"verdict": "true", "correction_note": "A new report."},
        HTTP_IF_MATCH=api.get(reverse("api:claim-detail", args=[claim.pk]))["ETag"],
    )
    assert response.status_code == 200, response.json()
    retracted = api.post(reverse("api:claim-retract", args=[claim.pk]), {"note": "Misattributed."})
    assert retracted.status_code == 200
    worker()
    assert receiver.events() == ["claim.corrected", "claim.verdict_changed", "claim.retracted"]
    corrected = json.loads(receiver.received[1][1])
    assert corrected["correction"]["note"] == "A new report."
    assert corrected["correction"]["verdict_before"] == "False"
    assert corrected["correction"]["verdict_after"] == "True"
    assert json.loads(receiver.received[2][1])["claim"]["status"] == "retracted"


def test_only_the_events_a_partner_chose_are_delivered(worker, make, editor, receiver):
    Endpoint.objects.create(
        partner="Retractions only", url=receiver.url, events=["claim.retracted"]
    )
    claim = make.claim(status=Claim.Status.IN_REVIEW)
    services.take_step(claim, "publish", by=editor)
    services.take_step(claim, "retract", by=editor, note="We got it wrong.")
    worker()
    assert receiver.events() == ["claim.retracted"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://0.0.0.0/hook",
        "ftp://example.com/hook",
        "http://user:pass@127.0.0.1/hook",
    ],
)
def test_urls_inside_the_network_are_refused(url, settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    with pytest.raises(ValidationError):
        validate_webhook_url(url)


def test_loopback_is_allowed_only_by_its_setting(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    validate_webhook_url("http://127.0.0.1:8000/hook")
    with pytest.raises(ValidationError):
        validate_webhook_url("http://10.1.2.3/hook")


def test_a_delivery_to_an_address_refused_since_registration_is_not_sent(
    worker, make, endpoint, receiver, settings
):
    settings.WEBHOOK_ALLOW_LOOPBACK = False  # as if the host's DNS now answered 127.0.0.1
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    services.take_step(make.claim(status=Claim.Status.IN_REVIEW), "publish", by=None)
    worker()
    assert receiver.received == []
    attempt = Delivery.objects.get().tries.get()
    assert attempt.status_code is None and "not a public address" in attempt.error


def test_editors_register_webhooks_with_a_token(receiver, editor, fact_checker, api_client):
    url = reverse("api:webhook-list")
    body = {"partner": "A partner", "url": receiver.url, "events": ["claim.published"]}
    assert api_client.post(url, body).status_code == 401
    assert api_client.get(url).status_code == 401
    assert token_client(fact_checker).post(url, body).status_code == 403
    assert token_client(fact_checker).get(url).status_code == 403
    api = token_client(editor)
    created = api.post(url, body)
    assert created.status_code == 201, created.json()
    assert len(created.json()["secret"]) == 64
    assert created.json()["events"] == ["claim.published"]
    refused = api.post(url, {**body, "url": "http://10.0.0.8/hook"})
    assert refused.status_code == 400 and "url" in refused.json()
    unknown = api.post(url, {**body, "events": ["claim.drafted"]})
    assert unknown.status_code == 400 and "events" in unknown.json()
    pk = created.json()["id"]
    deliveries = api.get(reverse("api:webhook-deliveries", args=[pk]))
    assert deliveries.status_code == 200 and deliveries.json()["results"] == []


def test_editors_register_webhooks_in_the_admin(receiver, editor_client, client, fact_checker):
    response = editor_client.post(
        reverse("admin:webhooks_endpoint_add"),
        {"partner": "A newsroom", "url": receiver.url, "events": ALL_EVENTS, "active": "on"},
    )
    assert response.status_code == 302
    endpoint = Endpoint.objects.get()
    assert endpoint.events == ALL_EVENTS
    page = editor_client.get(reverse("admin:webhooks_endpoint_change", args=[endpoint.pk]))
    assert endpoint.secret in page.content.decode()
    refused = editor_client.post(
        reverse("admin:webhooks_endpoint_add"),
        {"partner": "B", "url": "http://192.168.1.1/", "events": ALL_EVENTS},
    )
    assert refused.status_code == 200 and "private" in refused.content.decode()
    client.force_login(fact_checker)
    assert client.get(reverse("admin:webhooks_endpoint_changelist")).status_code == 403
