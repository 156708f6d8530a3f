"""The newsroom's admin site: Django's, with the review queue's counts on its index."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class NewsroomAdminSite(admin.AdminSite):
    index_template = "admin/newsroom_index.html"

    @property
    def login_form(self):
        # Imported here: this module loads with the settings, before any app's models.
        from newsroom.login import ThrottledAuthenticationForm

        return ThrottledAuthenticationForm

    def index(self, request, extra_context=None):
        # Imported here: this module loads with the settings, before any app's models.
        from articles.editorial.queue import desk_counts

        context = {"desk_counts": desk_counts(request.user), **(extra_context or {})}
        return super().index(request, context)


class NewsroomAdminConfig(AdminConfig):
    default_site = "newsroom.admin.NewsroomAdminSite"
