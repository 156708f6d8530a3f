"""The article list and search, topic pages, and the read-only JSON API."""

urlpatterns = []
