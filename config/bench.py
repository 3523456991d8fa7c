"""Benchmark helpers, installed only when the BENCH setting is on (``make bench``).

``/bench/bare`` is the ceiling: a JSON view in the same process, middleware and settings as
everything else, doing no work (and never cached). ``/bench/plain-list`` returns the same rows
as the API's first page of claims, counted and loaded as the API does (its queryset, its
paginator), as a plain ``JsonResponse``: the difference to the API list is what DRF costs.
``QueryCountMiddleware`` reports each response's database queries in an ``X-Queries`` header
for the benchmark's table (a streamed response's count stops where its body starts), and
the worker's process id in ``X-Worker-Pid``.
"""

import os

from django.db import connection
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.cache import never_cache

from claims.api.views import ClaimViewSet
from claims.cache import public_count
from claims.models import Claim
from claims.pagination import IdsFirstPaginator

PAGE = 20


@never_cache  # the ceiling is the view path, not a hit in the public cache
def bare(request):
    return JsonResponse({"ok": True})


def _actor(actor):
    return actor and {"id": actor.pk, "name": actor.name, "kind": actor.kind}


def plain_list(request):
    # Paged as the API pages (the count, the page's ids, its rows with what they show), so
    # the difference is DRF alone.
    related = ClaimViewSet().related(Claim.objects.published(), public=True)
    count = public_count(Claim.objects.published(), request)  # kept per version, as the API
    page = IdsFirstPaginator(Claim.objects.published(), PAGE, rows=related, count=count).page(1)
    rows = [
        {
            "id": claim.pk,
            "page_url": request.build_absolute_uri(claim.get_absolute_url()),
            "quote": claim.quote,
            "summary": claim.summary,
            "claimant": _actor(claim.claimant),
            "source": {
                "id": claim.source_id,
                "title": claim.source.title,
                "url": claim.source.url,
                "publisher": _actor(claim.source.publisher),
            },
            "said_on": claim.said_on,
            "verdict": claim.verdict and {"label": claim.verdict.label, "slug": claim.verdict.slug},
            "ruling": claim.ruling,
            "topics": [{"slug": t.slug, "name": t.name} for t in claim.topics.all()],
            "evidence": [
                {
                    "stance": link.stance,
                    "note": link.note,
                    "id": link.evidence_id,
                    "excerpt": link.evidence.excerpt,
                    "source": {"id": link.evidence.source_id, "title": link.evidence.source.title},
                    "author": _actor(link.evidence.author),
                }
                for link in claim.stance_links.all()
            ],
            "status": claim.status,
            "published_at": claim.published_at,
            "updated_at": claim.updated_at,
        }
        for claim in page
    ]
    return JsonResponse({"count": page.paginator.count, "results": rows})


urlpatterns = [path("bare", bare), path("plain-list", plain_list)]


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Queries"] = str(count)
        # Which gunicorn worker answered: the benchmark reads its memory from /proc.
        response["X-Worker-Pid"] = str(os.getpid())
        return response
