"""API tokens: django-rest-knox's hashed, expiring tokens, each with a name.

``ApiToken`` is knox's token model itself, swapped in with ``KNOX_TOKEN_MODEL``, rather than a
row of names beside knox's ``AuthToken``: one row per token, so knox's authentication, its
deletion of expired tokens and a revocation are single-table operations that cannot leave a
name without its token, and creating one is knox's own ``create()``. (Knox's migrations
would still make its own ``knox_authtoken`` table, so settings switch them off.)

What is stored: ``digest``, knox's SHA-512 of the key, and ``token_key``, the key's first
characters (to find the row to compare). The key itself is shown once, when the token is
made, and is in no table, log or backup.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from knox.models import AbstractAuthToken, AuthTokenManager
from knox.settings import CONSTANTS

# How many characters of a key are shown to recognize it (knox stores a few more).
SHOWN_PREFIX_LENGTH = 8


class ApiTokenQuerySet(models.QuerySet):
    def expired(self):
        return self.filter(expiry__lte=timezone.now())


class ApiTokenManager(AuthTokenManager.from_queryset(ApiTokenQuerySet)):
    def issue(self, user, name, days=None):
        """A new token for ``user``, valid for ``days`` (at most, and by default,
        ``API_TOKEN_TTL_DAYS``). Returns ``(token, key)``: the key exists only in this return
        value. Every door (the API, ``create_token``) makes tokens here, so the limits are the
        same everywhere; raises ``ValidationError`` keyed by ``name`` or ``days``."""
        longest = settings.API_TOKEN_TTL_DAYS
        days = longest if days is None else days
        if not 1 <= days <= longest:
            raise ValidationError(
                {"days": f"A token lives from 1 to {longest} days (API_TOKEN_TTL_DAYS)."}
            )
        self.model(user=user, name=name.strip(), expiry=timezone.now()).clean_fields(
            exclude={"digest", "token_key"}
        )
        return self.create(user=user, name=name.strip(), expiry=timedelta(days=days))


class ApiToken(AbstractAuthToken):
    # A short, stable id for URLs and the admin; knox's primary key, the digest, stays unique.
    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, unique=True)
    # Knox allows tokens that never expire (no expiry); here every token has one.
    expiry = models.DateTimeField("expires")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. a script.")

    objects = ApiTokenManager()

    class Meta:
        verbose_name = "API token"
        ordering = ["-created", "-id"]

    def __str__(self):
        return f"{self.name} ({self.user}, {self.prefix}…)"

    @property
    def prefix(self):
        """The key's first characters: enough to recognize a token, far too few to use it."""
        return self.token_key[:SHOWN_PREFIX_LENGTH]

    @property
    def is_expired(self):
        return self.expiry <= timezone.now()
