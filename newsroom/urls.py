from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = f"{settings.NEWSROOM_NAME} editorial desk"
admin.site.site_title = f"{settings.NEWSROOM_NAME} admin"
admin.site.index_title = "Stories, people and sources"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("articles.site.urls_people")),
    path("", include("articles.site.urls")),
    path("", include("articles.site.urls_syndication")),
    path("", include("articles.site.urls_api")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
