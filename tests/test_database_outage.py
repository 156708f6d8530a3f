from django.db import OperationalError
from django.test import RequestFactory

from articles.publishing import selectors
from newsroom.errors import DatabaseUnavailableMiddleware


def test_unreachable_database_answers_503_asking_to_retry():
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    request = RequestFactory().get("/articles/")
    response = middleware.process_exception(request, OperationalError("connection refused"))
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "Back in a moment" in response.content.decode()


def test_other_errors_are_left_to_the_500_page():
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    request = RequestFactory().get("/articles/")
    assert middleware.process_exception(request, ValueError("a bug")) is None


def test_an_outage_during_a_page_is_a_503_for_the_reader(client, foote_story, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(selectors, "edition_at", refuse)
    response = client.get("/articles/us-envoy-to-haiti-resigns-over-inhumane-deportations/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
