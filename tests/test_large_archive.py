"""Pages that list choices stay small when the archive is large."""

import re

from django.urls import reverse

from claims.filters import SlugOrIdField


def test_claimant_and_source_selects_are_bounded_but_any_choice_filters(client, make, monkeypatch):
    monkeypatch.setattr(SlugOrIdField, "max_choices", 3)
    claims = [make.claim(claimant=make.actor(name=f"Claimant {n:02}")) for n in range(6)]
    last = claims[-1].claimant  # not among the first three, alphabetically
    page = client.get(reverse("claims:list")).content.decode()
    select = re.search(r'<select name="claimant".*?</select>', page, re.S).group(0)
    assert select.count("<option") == 4  # "Anyone" and three
    page = client.get(reverse("claims:list"), {"claimant": last.slug}).content.decode()
    select = re.search(r'<select name="claimant".*?</select>', page, re.S).group(0)
    assert f'value="{last.slug}" selected' in select
    assert f">{claims[-1].summary}<" in page and f">{claims[0].summary}<" not in page
