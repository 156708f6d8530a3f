"""Script-injection payloads in every rendered field: no page, feed or API carries runnable markup.

The browser half (tests/browser/test_xss.py) loads the pages in Chromium and checks that no
payload ran; this half parses every response and looks for what could run.
"""

import json
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from people.models import Person
from tests.xss import plant

FOOTE = "/articles/us-envoy-to-haiti-resigns-over-inhumane-deportations/"
HTML_PAGES = [
    "/",
    FOOTE,
    "/people/daniel-foote/",
    "/organizations/associated-press/",
    "/topics/haiti/",
    "/corrections/",
    "/articles/?q=envoy",
]
DATA = [
    (f"{FOOTE}annotations.jsonld", "json"),
    ("/api/articles/", "json"),
    (f"/api{FOOTE}", "json"),
    ("/api/quotes/?speaker=daniel-foote", "json"),
    ("/api/people/?q=foote", "json"),
    ("/feeds/latest.rss", "xml"),
    ("/feeds/latest.atom", "xml"),
    ("/people/daniel-foote/feed.rss", "xml"),
    ("/sitemap.xml", "xml"),
]
ALLOWED_SCRIPT_TYPES = {"application/ld+json", "application/json", "importmap", "module"}
# Inline SVG is fine (the admin draws its icons with it): its handlers are caught as on*.
ACTIVE_ELEMENTS = {"iframe", "object", "embed", "base"}


class RunnableMarkup(HTMLParser):
    """Collects what in a page could run code: inline scripts, handlers, script URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self._inline = [], None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction") and (
                value or ""
            ).strip().lower().startswith(("javascript:", "data:text/html")):
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag in ACTIVE_ELEMENTS:
            self.found.append(f"<{tag}>")
        if tag == "script":
            kind = attributes.get("type", "")
            if "src" in attributes:
                if not attributes["src"].startswith(("/static/", "/admin/jsi18n/")):
                    self.found.append(f"<script src={attributes['src']!r}>")
            elif kind not in ALLOWED_SCRIPT_TYPES:
                self.found.append("inline <script>")
            self._inline = kind

    def handle_data(self, data):
        if self._inline == "application/ld+json":
            json.loads(data)  # a payload that broke out of the JSON would make it invalid

    def handle_endtag(self, tag):
        if tag == "script":
            self._inline = None


def runnable(html: str) -> list[str]:
    parser = RunnableMarkup()
    parser.feed(html)
    return parser.found


@pytest.fixture
def planted(foote_story):
    plant(foote_story)


@pytest.mark.parametrize("url", HTML_PAGES)
def test_public_page_carries_no_runnable_payload(client, planted, url):
    response = client.get(url)
    assert response.status_code == 200
    assert runnable(response.content.decode()) == []


@pytest.mark.parametrize(("url", "kind"), DATA)
def test_feeds_and_api_stay_well_formed_with_payloads(client, planted, url, kind):
    response = client.get(url)
    assert response.status_code == 200
    if kind == "json":
        # JSON carries the payloads as text; served as JSON, never sniffed as a page.
        assert response["Content-Type"].startswith(("application/json", "application/ld+json"))
        json.loads(response.content)
    else:
        ElementTree.fromstring(response.content)
        assert b"<script>window.__xss" not in response.content


@pytest.mark.parametrize(
    "name",
    [
        "admin:articles_article_change",
        "admin:articles_article_annotate",
        "admin:articles_article_revisions",
        "admin:people_person_change",
    ],
)
def test_staff_pages_carry_no_runnable_payload(admin_client, planted, foote_story, name):
    pk = foote_story.pk
    if name == "admin:people_person_change":
        pk = Person.objects.get(slug="daniel-foote").pk
    response = admin_client.get(reverse(name, args=[pk]))
    assert response.status_code == 200
    assert runnable(response.content.decode()) == []
