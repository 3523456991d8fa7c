"""``manage.py generate_data``: synthetic data that looks like an archive, valid row by row,
marked as synthetic and never mixed with the demo data."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from claims.models import Claim, ClaimTransition, Evidence
from claims.synthetic import SYNTHETIC_TITLE_PREFIX, SYNTHETIC_TOPIC


def generate(n=300, **options):
    call_command("generate_data", claims=n, batch_size=100, **options)


@pytest.mark.django_db
def test_generates_a_marked_archive_with_a_mix_of_statuses():
    generate()
    claims = Claim.objects.all()
    assert claims.count() == 300
    assert claims.filter(topics__slug=SYNTHETIC_TOPIC["slug"]).count() == 300
    assert not claims.exclude(source__title__startswith=SYNTHETIC_TITLE_PREFIX).exists()
    statuses = set(claims.values_list("status", flat=True))
    assert statuses == {status for status, _ in Claim.Status.choices}
    # Evidence is shared between claims, as one finding rebuts several claims.
    assert Evidence.objects.annotate(n=Count("claims")).filter(n__gt=1).exists()


@pytest.mark.django_db
def test_public_claims_went_through_the_workflow():
    generate()
    for claim in Claim.objects.published().prefetch_related("transitions", "stance_links"):
        assert claim.verdict_id and claim.ruling and claim.published_at
        assert claim.stance_links.all(), "a published claim needs evidence"
        steps = [(t.source, t.target) for t in claim.transitions.all()]
        assert steps[:2] == [("draft", "in_review"), ("in_review", "published")]
        if claim.status == Claim.Status.RETRACTED:
            assert claim.retraction_note and claim.corrections.filter(kind="retraction")
    drafts = Claim.objects.filter(status=Claim.Status.DRAFT)
    assert not ClaimTransition.objects.filter(claim__in=drafts).exists()


@pytest.mark.django_db
def test_never_mixed_with_the_demo_data():
    call_command("load_demo")
    with pytest.raises(CommandError, match="not synthetic"):
        generate(10)
    generate(10, force=True)  # knowingly
    assert Claim.objects.filter(topics__slug=SYNTHETIC_TOPIC["slug"]).count() == 10


@pytest.mark.django_db
def test_demo_data_refuses_to_join_synthetic_data():
    generate(10)
    with pytest.raises(CommandError, match="synthetic"):
        call_command("load_demo")
