"""Feeds, sitemaps and robots.txt."""

from django.urls import path

from articles.site import feeds, syndication

app_name = "syndication"

urlpatterns = [
    path("feeds/latest.rss", feeds.LatestArticlesFeed(), name="latest_rss"),
    path("feeds/latest.atom", feeds.LatestArticlesAtomFeed(), name="latest_atom"),
    path("people/<slug:slug>/feed.rss", feeds.PersonFeed(), name="person_rss"),
    path("people/<slug:slug>/feed.atom", feeds.PersonAtomFeed(), name="person_atom"),
    path("topics/<slug:slug>/feed.rss", feeds.TopicFeed(), name="topic_rss"),
    path("topics/<slug:slug>/feed.atom", feeds.TopicAtomFeed(), name="topic_atom"),
    path("sitemap.xml", syndication.sitemap, name="sitemap"),
    path("sitemap-news.xml", syndication.news_sitemap, name="news_sitemap"),
    path("robots.txt", syndication.robots_txt, name="robots_txt"),
]
