"""No reader's email or address reaches the public: every page, feed, sitemap, export, the
open-data dump and every API answer is crawled (tests/test_leaks.py's crawler) with requests
in every state seeded with a distinctive email and address, and neither may appear."""

import gzip
from collections import deque
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from reader_requests.models import CheckRequest, ReportedError
from tests import test_leaks

pytestmark = pytest.mark.django_db

# The crawler's fixtures: a small public site, and no API throttles.
public, unthrottled = test_leaks.public, test_leaks.unthrottled

EMAIL_USER = "zq7asker"
EMAIL = f"{EMAIL_USER}@private.example"
ADDRESS = "203.0.113.213"
WHERE = "zq7where"


@pytest.fixture
def requests(public, editor, make):
    """Requests in every state, grouped and not, and error reports, all from the same reader."""
    personal = {"email": EMAIL, "client_ip": ADDRESS, "heard_where": WHERE}
    rows = {
        status: CheckRequest.objects.create(claim_text=f"Asked claim {status}", **personal)
        for status in ("new", "accepted", "answered", "declined", "grouped")
    }
    CheckRequest.group([rows["answered"], rows["grouped"]])
    rows["accepted"].accept(by=editor, claimant=make.actor(), source=make.source())
    rows["answered"].answer(public["claims"][0], by=editor)
    rows["declined"].decline("An opinion.", by=editor)
    for claim in public["claims"]:
        ReportedError.objects.create(
            claim=claim,
            what_is_wrong="Wrong",
            source="https://s.example",
            email=EMAIL,
            client_ip=ADDRESS,
        )
    return rows


def test_no_email_or_address_reaches_any_public_url(
    client, public, requests, unthrottled, settings, tmp_path
):
    start = [
        *test_leaks.entry_points(public),
        "/requests/",
        "/requests/ask/",
        "/api/v1/requests/",
        "/api/schema/",
        *(f"/api/v1/requests/{row.pk}/" for row in requests.values()),
        *(
            reverse("reader_requests:report-error", args=[r.claim_id])
            for r in ReportedError.objects.all()
        ),
    ]
    seen, queue = set(start), deque(start)
    while queue:
        url = queue.popleft()
        response = client.get(url)
        body = response.getvalue().decode()
        for secret in (EMAIL_USER, ADDRESS, WHERE):
            assert secret not in body, (url, secret)
        if response.status_code == 200:
            for link in set(test_leaks.links(body, url)) - seen:
                seen.add(link)
                queue.append(link)
    assert "/api/v1/requests/" in seen and "/requests/" in seen
    assert len(seen) > 60
    # The published requests are there, without who asked.
    listed = client.get("/requests/").content.decode()
    assert "Asked claim answered" in listed and "Asked by 2 readers" in listed
    # The open-data dump too.
    settings.OPEN_DATA_DIR = tmp_path
    call_command("export_dump", stdout=StringIO())
    for path in tmp_path.iterdir():
        data = path.read_bytes()
        text = (gzip.decompress(data) if path.suffix == ".gz" else data).decode()
        assert EMAIL_USER not in text and ADDRESS not in text, path
