from django.urls import path

from articles.site import people

app_name = "people"

urlpatterns = [
    path("people/<slug:slug>/", people.person_detail, name="person"),
    path("organizations/<slug:slug>/", people.organization_detail, name="organization"),
]
