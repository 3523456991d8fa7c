from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tokens.models import ApiToken


class Command(BaseCommand):
    help = (
        "Make an API token for a user and print its key, once: the database keeps only a "
        "digest. It expires after --days (at most, and by default, API_TOKEN_TTL_DAYS)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="the username")
        parser.add_argument("--name", required=True, help="what the token is for")
        parser.add_argument("--days", type=int, help="how long it lives")

    def handle(self, *args, user, name, days, **options):
        User = get_user_model()
        try:
            owner = User.objects.get(**{User.USERNAME_FIELD: user})
        except User.DoesNotExist:
            raise CommandError(f"No user {user!r}.") from None
        if not owner.is_active:
            raise CommandError(f"User {user!r} is inactive: their tokens would be refused.")
        try:
            token, key = ApiToken.objects.issue(owner, name, days)
        except ValidationError as error:
            raise CommandError(
                " ".join(m for messages in error.message_dict.values() for m in messages)
            ) from error
        self.stderr.write(
            f"Token {token.name!r} for {owner}, expires {token.expiry:%Y-%m-%d %H:%M} UTC. "
            "The key is shown only now:"
        )
        self.stdout.write(key)
