"""Count every topic's public claims afresh (``Topic.objects.recount()``).

The counts are kept as claims are published and their topics change; this repairs a count
that drifted (a change made in raw SQL, two simultaneous edits of one claim's topics from a
shell). Safe to run at any time, e.g. nightly from cron."""

from django.core.management.base import BaseCommand

from claims.cache import bump as bump_public_cache
from claims.models import Topic


class Command(BaseCommand):
    help = "Count every topic's public claims afresh (repairs drifted counts)."

    def handle(self, *args, **options):
        before = dict(Topic.objects.values_list("pk", "public_claims"))
        Topic.objects.recount()
        after = dict(Topic.objects.values_list("pk", "public_claims"))
        changed = [pk for pk in after if after[pk] != before.get(pk)]
        if changed:
            bump_public_cache()  # update() sends no signals
        self.stdout.write(f"{len(after)} topics counted, {len(changed)} corrected.")
