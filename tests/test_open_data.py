"""The open-data dump: ``manage.py export_dump`` writes what the API's exports give, atomically,
with its licence; readers download it from stable addresses under /data/."""

import gzip
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from claims import open_data
from claims.models import Claim


def dump():
    call_command("export_dump", stdout=io.StringIO())


@pytest.fixture
def dump_dir(settings, tmp_path):
    settings.OPEN_DATA_DIR = tmp_path / "open-data"
    settings.OPEN_DATA_LICENSE = "CC BY 4.0"
    settings.OPEN_DATA_LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
    settings.SITE_URL = "http://testserver"  # the dump's page URLs, as the API's would be
    return settings.OPEN_DATA_DIR


@pytest.fixture
def claims(make):
    published = [make.claim(), make.claim()]
    make.claim(status=Claim.Status.RETRACTED)
    make.claim(status=Claim.Status.DRAFT, quote="Draft words never dumped.")
    make.claim(status=Claim.Status.IN_REVIEW, quote="Words in review never dumped.")
    return published


def test_the_dump_is_what_the_api_exports_give(client, claims, dump_dir):
    dump()
    assert sorted(path.name for path in dump_dir.iterdir()) == [
        "README.txt",
        "claimreview.json.gz",
        "claims.csv.gz",
    ]
    csv = gzip.decompress((dump_dir / "claims.csv.gz").read_bytes())
    assert csv == client.get("/api/v1/claims/csv/").getvalue()
    reviews = gzip.decompress((dump_dir / "claimreview.json.gz").read_bytes())
    assert reviews == client.get("/api/v1/claims/claimreview/").getvalue()
    assert [r["url"] for r in json.loads(reviews)] == [
        f"http://testserver{claim.get_absolute_url()}" for claim in claims
    ]
    assert b"never dumped" not in csv + reviews
    assert len(csv.decode().splitlines()) == 1 + 3  # header, two published, one retracted
    readme = (dump_dir / "README.txt").read_text()
    assert "Licence: CC BY 4.0, https://creativecommons.org/licenses/by/4.0/" in readme
    assert "claims.csv.gz (3 claims)" in readme and "claimreview.json.gz (2 claims)" in readme


def test_a_failed_dump_leaves_the_previous_one_and_no_temporary_file(claims, dump_dir, monkeypatch):
    dump()
    before = (dump_dir / "claims.csv.gz").read_bytes()

    def broken(claims, request=None):
        yield b"id,half a row"
        raise RuntimeError("the database went away")

    monkeypatch.setattr(open_data, "csv_stream", broken)
    with pytest.raises(RuntimeError):
        call_command("export_dump")
    assert (dump_dir / "claims.csv.gz").read_bytes() == before
    assert sorted(path.name for path in dump_dir.iterdir()) == [
        "README.txt",
        "claimreview.json.gz",
        "claims.csv.gz",
    ]


def test_bad_directories_are_clear_errors(db, tmp_path):
    file = tmp_path / "a-file"
    file.write_text("")
    with pytest.raises(CommandError, match="is a file, not a directory"):
        call_command("export_dump", directory=str(file))
    with pytest.raises(CommandError, match="Cannot create the directory"):
        call_command("export_dump", directory=str(file / "below"))
    with pytest.raises(CommandError, match="unrecognized arguments"):
        call_command("export_dump", "extra")


def test_files_are_served_from_stable_addresses(client, claims, dump_dir):
    url = reverse("claims:open-data-file", args=["claims.csv.gz"])
    missing = client.get(url)
    assert missing.status_code == 404
    assert "has not been generated yet" in missing.content.decode()
    assert "not been made yet" in client.get(reverse("claims:open-data")).content.decode()

    dump()
    response = client.get(url)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "application/gzip"
    assert response["Content-Disposition"] == 'attachment; filename="claims.csv.gz"'
    assert response.getvalue() == (dump_dir / "claims.csv.gz").read_bytes()
    assert response["X-Cache"] == "miss" and client.get(url)["X-Cache"] == "miss"
    revalidated = client.get(url, headers={"If-Modified-Since": response["Last-Modified"]})
    assert revalidated.status_code == 304
    readme = client.get(reverse("claims:open-data-file", args=["README.txt"]))
    assert b"CC BY 4.0" in readme.getvalue()
    assert client.get(reverse("claims:open-data-file", args=["passwd"])).status_code == 404
    assert client.get("/data/../config/settings.py").status_code == 404


def test_the_about_page_links_the_open_data_page(client, claims, dump_dir):
    dump()
    about = client.get(reverse("trust:about")).content.decode()
    assert f'href="{reverse("claims:open-data")}"' in about
    page = client.get(reverse("claims:open-data")).content.decode()
    assert 'rel="license">CC BY 4.0</a>' in page
    for name in ("claims.csv.gz", "claimreview.json.gz"):
        assert f'href="{reverse("claims:open-data-file", args=[name])}"' in page
