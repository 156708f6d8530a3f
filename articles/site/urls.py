from django.urls import path

from articles.site import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("corrections/", views.corrections_log, name="corrections"),
    path("sources/<int:pk>/", views.source_detail, name="source"),
    path("preview/<str:token>/", views.article_preview, name="preview"),
    path("articles/<slug:slug>/", views.article_detail, name="article"),
    path(
        "articles/<slug:slug>/annotations.jsonld",
        views.article_annotations,
        name="article_annotations",
    ),
]
