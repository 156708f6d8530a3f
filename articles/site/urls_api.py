"""The article list and search, topic pages, and the read-only JSON API."""

from django.urls import path

from articles.site import api, lists

app_name = "lists"

urlpatterns = [
    path("articles/", lists.article_list, name="articles"),
    path("topics/<slug:slug>/", lists.topic_detail, name="topic"),
    path("api/articles/", api.article_list, name="api_articles"),
    path("api/articles/<slug:slug>/", api.article_detail, name="api_article"),
    path("api/people/", api.person_list, name="api_people"),
    path("api/quotes/", api.quote_list, name="api_quotes"),
]
