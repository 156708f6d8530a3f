"""The sitemap, the Google News sitemap and robots.txt: absolute URLs built from the request."""

import datetime

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from articles.publishing import selectors
from articles.site import sitemaps

NEWS_WINDOW = datetime.timedelta(days=2)
NEWS_LIMIT = 1000  # Google reads at most this many URLs from a news sitemap


def sitemap(request):
    return sitemap_views.sitemap(
        request, sitemaps.sections(), template_name="syndication/sitemap.xml"
    )


@sitemap_views.x_robots_tag
def news_sitemap(request):
    """Stories first published in the last two days, in Google News' sitemap format."""
    articles = (
        selectors.published_articles()
        .filter(first_published_at__gte=timezone.now() - NEWS_WINDOW)
        .only("slug", "headline", "first_published_at")[:NEWS_LIMIT]
    )
    context = {
        "publication_name": settings.NEWSROOM_NAME,
        "language": settings.LANGUAGE_CODE.split("-")[0],
        "entries": [
            {
                "location": request.build_absolute_uri(article.get_absolute_url()),
                "published_at": article.first_published_at.replace(microsecond=0).isoformat(),
                "title": article.headline,
            }
            for article in articles
        ],
    }
    return render(request, "syndication/sitemap_news.xml", context, content_type="application/xml")


def robots_txt(request):
    context = {
        "sitemaps": [
            request.build_absolute_uri(reverse("syndication:sitemap")),
            request.build_absolute_uri(reverse("syndication:news_sitemap")),
        ]
    }
    return render(
        request, "syndication/robots.txt", context, content_type="text/plain; charset=utf-8"
    )
