"""The delivery job: one try at sending a delivery; a failed try schedules the next, after a
wait that grows fourfold each time, until ``WEBHOOK_MAX_ATTEMPTS`` tries have failed."""

from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from webhooks.delivery import post
from webhooks.models import Attempt, Delivery


class DeliveryFailed(Exception):
    """A try failed: the job is listed as failed, with this message, for each failed try."""


def backoff(attempts):
    """Seconds to wait after ``attempts`` failed tries: 1, 4, 16, 64... retry periods."""
    return settings.WEBHOOK_RETRY_SECONDS * 4 ** (attempts - 1)


@task
def deliver(delivery_id):
    delivery = Delivery.objects.select_related("endpoint").get(pk=delivery_id)
    if delivery.status != Delivery.Status.PENDING:  # a retried job, after all
        return {"status": delivery.status}
    endpoint = delivery.endpoint
    status, excerpt, error, took = post(
        endpoint.url,
        delivery.payload | {"delivery": str(delivery.pk)},
        secret=endpoint.secret,
        headers={"Counterclaim-Event": delivery.event, "Counterclaim-Delivery": str(delivery.pk)},
    )
    attempt = Attempt.objects.create(
        delivery=delivery,
        status_code=status,
        response_excerpt=excerpt,
        error=error,
        duration_ms=took,
    )
    delivery.attempts += 1
    if attempt.ok:
        delivery.status, delivery.delivered_at = Delivery.Status.DELIVERED, timezone.now()
        delivery.next_attempt_at = None
        delivery.save()
        return {"status": delivery.status, "status_code": status, "attempts": delivery.attempts}
    answer = f"HTTP {status}" if status is not None else error
    if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = Delivery.Status.FAILED, None
        delivery.save()
        raise DeliveryFailed(f"{answer}; gave up after {delivery.attempts} attempts.")
    delivery.next_attempt_at = timezone.now() + timedelta(seconds=backoff(delivery.attempts))
    delivery.save()
    if deliver.get_backend().supports_defer:
        deliver.using(run_after=delivery.next_attempt_at).enqueue(delivery_id)
    else:  # run inline (TASKS_IMMEDIATE): the next try comes at once
        deliver.enqueue(delivery_id)
    raise DeliveryFailed(
        f"{answer}; attempt {delivery.attempts} of {settings.WEBHOOK_MAX_ATTEMPTS}, next at "
        f"{delivery.next_attempt_at:%Y-%m-%d %H:%M:%S %Z}."
    )
