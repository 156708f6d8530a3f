"""Feeds, sitemaps and robots.txt."""

urlpatterns = []
