"""What marks generated (synthetic) data, so that it is never mistaken for real fact checks
nor mixed into the demo data: ``generate_data`` writes these marks, ``load_demo`` refuses to
load next to them, and an operator can find every synthetic row by them."""

SYNTHETIC_TOPIC = {"slug": "synthetic-data", "name": "Synthetic data"}
SYNTHETIC_TITLE_PREFIX = "Synthetic: "
SYNTHETIC_URL = "https://synthetic.invalid/"  # a reserved domain that never resolves
SYNTHETIC_DESCRIPTION = "Synthetic actor (generated test data)."


def has_synthetic_claims():
    from claims.models import Claim

    return Claim.objects.filter(topics__slug=SYNTHETIC_TOPIC["slug"]).exists()
