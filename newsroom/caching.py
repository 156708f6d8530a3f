"""A full-page cache for anonymous readers, shared by every app server through Django's cache.

Pages are stored under a generation number; anything that changes what readers see (a
publication, a correction, a person's name) moves the generation on, so every server stops
serving the old pages at once. With Redis as the cache (REDIS_URL) the generation is shared by
all app servers; with the local-memory default it is per process.

Only a query parameter that a public page reads (registered by the apps at start-up with
``query_parameters_read``) can make a page of its own: a request with any other is served
uncached, so that junk query strings (``/?x=1``, ``/?x=2``, ...) cannot fill the cache, and a
page whose output depended on a parameter this cache does not know is never served to readers
of another address.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.encoding import escape_uri_path

logger = logging.getLogger(__name__)

GENERATION_KEY = "public-pages:generation"
PAGE_TIMEOUT = 60 * 60 * 24
PRIVATE_PREFIXES = ("/admin/", "/preview/", "/static/", "/media/")
KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Robots-Tag")


def invalidate_public_pages() -> None:
    """Make every cached public page stale, on every server sharing the cache."""
    try:
        cache.add(GENERATION_KEY, 1, timeout=None)
        cache.incr(GENERATION_KEY)
    except Exception:  # a cache that is down must not stop a publication
        logger.exception("Could not invalidate the public page cache")


def invalidate_when_committed() -> None:
    """Invalidate now and once the transaction commits.

    Only the second is needed for correctness (a reader between the two would cache the old
    page again); the first serves code that runs without committing, such as tests.
    """
    invalidate_public_pages()
    transaction.on_commit(invalidate_public_pages)


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


# The query parameters public pages read. The apps that serve those pages add theirs when they
# load (the articles app: its FilterSets' filters), so this module imports none of them.
_QUERY_PARAMETERS = {"page"}


def query_parameters_read(names) -> None:
    """Declare query parameters a public page reads: each value may make a page of its own."""
    _QUERY_PARAMETERS.update(names)


def known_query_parameters() -> frozenset[str]:
    return frozenset(_QUERY_PARAMETERS)


def _key(request, generation) -> str:
    """The cache key of the page at this request's address, read as its view reads it.

    Scheme and host are part of it (feeds and sitemaps carry absolute URLs); the query is the
    parsed one, so that ``/?&`` or ``/?q=%61`` is not a page apart from ``/`` or ``/?q=a``.
    """
    query = request.GET.urlencode()
    address = f"{request.scheme}://{request.get_host()}{escape_uri_path(request.path)}"
    if query:
        address = f"{address}?{query}"
    return f"public-page:{generation}:{hashlib.sha256(address.encode()).hexdigest()}"


class PublicPageCacheMiddleware:
    """Serve anonymous GET and HEAD requests for public pages from the cache when it can."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._cacheable_request(request):
            return self.get_response(request)
        try:
            key = _key(request, _generation())
            stored = cache.get(key)
        except Exception:
            logger.exception("The page cache is unavailable; serving uncached")
            return self.get_response(request)
        if stored is not None:
            return self._rebuild(stored)
        response = self.get_response(request)
        if self._cacheable_response(request, response):
            self._store(key, response)
        return response

    @staticmethod
    def _cacheable_request(request) -> bool:
        return (
            settings.NEWSROOM_PAGE_CACHE
            and request.method in ("GET", "HEAD")
            and not request.path.startswith(PRIVATE_PREFIXES)
            and not request.user.is_authenticated
            and known_query_parameters().issuperset(request.GET)
        )

    @staticmethod
    def _cacheable_response(request, response) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.user.is_authenticated
            and "no-store" not in response.get("Cache-Control", "")
        )

    @staticmethod
    def _store(key, response):
        response["ETag"] = response.get("ETag") or _etag(response.content)
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        stored = {
            "content": response.content,
            "headers": {name: response[name] for name in KEPT_HEADERS if name in response},
            "etag": response["ETag"],
        }
        try:
            cache.set(key, stored, PAGE_TIMEOUT)
        except Exception:
            logger.exception("Could not store a page in the cache")

    @staticmethod
    def _rebuild(stored) -> HttpResponse:
        response = HttpResponse(stored["content"])
        for name, value in stored["headers"].items():
            response[name] = value
        response["ETag"] = stored["etag"]
        response["X-Cache"] = "hit"
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return response


def _etag(content: bytes) -> str:
    return f'"{hashlib.sha256(content).hexdigest()[:32]}"'
