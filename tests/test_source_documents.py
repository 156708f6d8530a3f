"""Quotes checked against their source's document, and readers opening the passage quoted.

Everyone here is fictional, and so are their words: the documents are written for the tests.
"""

import html
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reversion.models import Revision

from articles.annotations import anchoring, service
from articles.models import (
    Annotation,
    Article,
    PublishedSource,
    ReviewLogEntry,
    Source,
)
from people.models import Person

Check = Annotation.SourceCheck
LETTER = (
    "Dear Director Vale,\n\nI write to resign from the harbour board, effective at once.\n"
    "The board's 'temporary' closure of the ferry has lasted three years, and I cannot\n"
    "defend it to the islanders who depend on it.\n\nYours, Mira Castellan"
)
BODY = (
    "<p>Mira Castellan left the harbour board on Monday. “I write to resign from the harbour "
    "board, effective at once,” she wrote, calling the ferry’s closure “a betrayal of the "
    "islanders” and saying she could not “defend it to the islanders who depend on it.”</p>"
)
VERIFIED = "I write to resign from the harbour board, effective at once,"
NOT_IN_LETTER = "a betrayal of the islanders"
NOT_FOUND_SENTENCE = "are not in their source's document"


def pdf_with_text(text: str) -> bytes:
    """A one-page PDF showing ``text`` in Helvetica, its cross-reference table exact."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(pdf)


@pytest.fixture
def desk(make_staff):
    return {
        "writer": make_staff("Editor", "writer"),
        "checker": make_staff("Editor", "checker"),
        "publisher": make_staff("Publisher", "publisher"),
    }


@pytest.fixture
def castellan(db):
    return Person.objects.create(name="Mira Castellan", slug="mira-castellan")


@pytest.fixture
def story(db):
    return Article.objects.create(
        headline="Harbour board loses a member", slug="harbour", body=BODY
    )


def source_add(client, **fields) -> Source:
    data = {
        "kind": "document",
        "title": "Letter of resignation",
        "url": "",
        "date": "",
        "publisher": "",
        "anonymity_justification": "",
        "document": "",
        **fields,
    }
    response = client.post(reverse("admin:articles_source_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return Source.objects.get(title=data["title"])


def quote_add(client, article, words, source, **links) -> Annotation:
    text = article.plain_text
    start = text.index(words)
    payload = {
        "kind": "quote",
        "selector": anchoring.describe(text, start, start + len(words)),
        "source": source.pk,
        **links,
    }
    url = reverse("admin:articles_article_annotations", args=[article.pk])
    response = client.post(url, json.dumps(payload), content_type="application/json")
    assert response.status_code == 201, response.content.decode()
    return Annotation.objects.get(pk=response.json()["annotation"]["id"])


def move(client, article, transition, **form):
    url = reverse("admin:articles_article_transition", args=[article.pk])
    answer = client.post(url, {"transition": transition, **form}, follow=True)
    return html.unescape(answer.content.decode())


def publish(client, desk, article):
    """Submitted by its writer, approved by the checker, published by the publisher."""
    client.force_login(desk["writer"])
    move(client, article, "submit")
    client.force_login(desk["checker"])
    move(client, article, "approve")
    client.force_login(desk["publisher"])
    page = move(client, article, "publish")
    client.logout()
    return page


def confirm(client, article, quote, reason):
    url = reverse("admin:articles_article_source_confirm", args=[article.pk, quote.pk])
    data = {f"source-confirm-reason-{quote.pk}": reason}
    return html.unescape(client.post(url, data, follow=True).content.decode())


@pytest.fixture
def letter_story(client, desk, story, castellan):
    """A writer pasted the letter into a source and quoted it twice: once from it, once not."""
    client.force_login(desk["writer"])
    letter = source_add(client, document=LETTER)
    verified = quote_add(client, story, VERIFIED, letter, speaker=castellan.pk)
    unsupported = quote_add(client, story, NOT_IN_LETTER, letter, speaker=castellan.pk)
    return letter, verified, unsupported


def test_a_quote_whose_words_are_in_the_pasted_letter_is_verified(client, letter_story, story):
    _, verified, unsupported = letter_story
    assert verified.source_check == Check.VERIFIED
    assert unsupported.source_check == Check.NOT_FOUND
    panel = client.get(reverse("admin:articles_article_annotations", args=[story.pk])).json()
    labels = {item["exact"]: item["source_check_label"] for item in panel["annotations"]}
    assert labels[VERIFIED] == "Verified against source"
    assert labels[NOT_IN_LETTER] == "Not found in source"
    page = client.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()
    assert "Verified against source" in page and "Not found in the source's document" in page


def test_a_quote_not_in_its_document_blocks_publishing_until_another_editor_confirms_it(
    client, desk, letter_story, story
):
    _, verified, unsupported = letter_story
    refused = publish(client, desk, story)
    assert NOT_FOUND_SENTENCE in refused and "have another editor confirm each" in refused
    story.refresh_from_db()
    assert story.status == Article.Status.APPROVED

    client.force_login(desk["checker"])
    # Approved, the story is locked as the publisher saw it: it goes back to be changed.
    move(client, story, "request_changes", comment="Check the quote against the letter.")
    assert "a reason is required" in confirm(client, story, unsupported, "  ")
    client.force_login(desk["writer"])  # who quoted it: not the one to pass it
    assert "another editor must confirm" in confirm(client, story, unsupported, "She said it.")
    unsupported.refresh_from_db()
    assert unsupported.source_check == Check.NOT_FOUND

    client.force_login(desk["checker"])
    reason = "She repeated these words to our reporter by phone on Monday; notes on file."
    confirm(client, story, unsupported, reason)
    unsupported.refresh_from_db()
    assert unsupported.source_check == Check.CONFIRMED
    entry = ReviewLogEntry.objects.filter(article=story).last()
    assert entry.actor == desk["checker"] and reason in entry.comment
    assert Revision.objects.filter(comment__contains=reason).exists()

    publish(client, desk, story)
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED


def test_readers_open_the_passage_in_the_published_document(client, desk, letter_story, story):
    letter, verified, unsupported = letter_story
    client.force_login(desk["checker"])
    confirm(client, story, unsupported, "Said on the record at the board meeting.")
    publish(client, desk, story)

    page = client.get("/articles/harbour/").content.decode()
    passage = f"/sources/{letter.pk}/?quote={verified.pk}#passage"
    assert f'href="{passage}"' in page
    assert f"?quote={unsupported.pk}" not in page  # confirmed, but not in the document
    assert f'href="/sources/{letter.pk}/">Read the document' in page

    source_page = client.get(f"/sources/{letter.pk}/?quote={verified.pk}")
    assert source_page.status_code == 200
    html = source_page.content.decode()
    assert (
        '<mark id="passage">I write to resign from the harbour board, effective at once</mark>'
        in html
    )
    assert "Yours, Mira Castellan" in html
    assert 'href="/articles/harbour/"' in html


def test_the_source_page_shows_the_document_as_published_and_changes_recheck_quotes(
    client, desk, letter_story, story
):
    letter, verified, unsupported = letter_story
    client.force_login(desk["checker"])
    confirm(client, story, unsupported, "Said on the record at the board meeting.")
    publish(client, desk, story)

    client.force_login(desk["checker"])
    url = reverse("admin:articles_source_change", args=[letter.pk])
    from tests.admin_forms import change_form_data

    data = change_form_data(client, url)
    data["document"] = LETTER.replace("effective at once", "effective on Friday")
    assert client.post(url, data).status_code == 302
    verified.refresh_from_db()
    unsupported.refresh_from_db()
    assert verified.source_check == Check.NOT_FOUND
    assert unsupported.source_check == Check.NOT_FOUND  # a new document asks anew
    client.logout()
    # Readers see the document as it is now, and no passage it no longer holds.
    assert "effective on Friday" in client.get(f"/sources/{letter.pk}/").content.decode()
    assert f"?quote={verified.pk}" not in client.get("/articles/harbour/").content.decode()


def test_an_uploaded_pdf_is_read_and_quotes_are_checked_against_its_text(
    client, desk, story, castellan
):
    client.force_login(desk["writer"])
    upload = SimpleUploadedFile(
        "letter.pdf", pdf_with_text("I write to resign from the harbour board, effective at once.")
    )
    letter = source_add(client, document_file=upload)
    assert "I write to resign from the harbour board" in letter.document
    assert quote_add(client, story, VERIFIED, letter, speaker=castellan.pk).source_check == (
        Check.VERIFIED
    )


def test_an_upload_that_is_not_a_readable_document_is_a_sentence_next_to_the_field(client, desk):
    client.force_login(desk["writer"])
    for name, content, sentence in [
        ("letter.pdf", b"not a pdf at all", "is not a PDF"),
        ("letter.pdf", b"%PDF-1.4\nbroken", "could not be read"),
        ("letter.docx", b"PK\x03\x04", "as a .txt or .pdf file"),
    ]:
        response = client.post(
            reverse("admin:articles_source_add"),
            {
                "kind": "document",
                "title": "Broken",
                "document_file": SimpleUploadedFile(name, content),
            },
        )
        assert response.status_code == 200
        assert sentence in response.content.decode()
    assert not Source.objects.filter(title="Broken").exists()


def test_an_anonymous_sources_document_is_never_public(client, desk, story):
    client.force_login(desk["writer"])
    insider = source_add(
        client,
        kind="anonymous",
        title="A member of the harbour board",
        anonymity_justification="They fear losing their seat.",
        document=LETTER,
    )
    quote = quote_add(
        client, story, VERIFIED, insider, speaker_description="a member of the harbour board"
    )
    assert quote.source_check == Check.VERIFIED  # checked for the desk all the same
    publish(client, desk, story)
    assert PublishedSource.objects.get(source=insider).document == ""
    page = client.get("/articles/harbour/").content.decode()
    assert f"/sources/{insider.pk}/" not in page and "#:~:text=" not in page
    assert client.get(f"/sources/{insider.pk}/").status_code == 404
    assert client.get(f"/sources/{insider.pk}/?quote={quote.pk}").status_code == 404
    assert client.get("/sources/999999/").status_code == 404


def test_a_source_only_a_draft_cites_has_no_public_page(client, letter_story):
    letter, verified, _ = letter_story
    client.logout()
    assert client.get(f"/sources/{letter.pk}/").status_code == 404
    assert client.get(f"/sources/{letter.pk}/?quote={verified.pk}").status_code == 404


def test_a_quote_from_a_web_page_links_to_its_words_there(client, desk, story, castellan):
    client.force_login(desk["writer"])
    post = source_add(
        client,
        kind="social_media_post",
        title="Castellan's post",
        url="https://example.org/castellan/post",
    )
    quote_add(client, story, NOT_IN_LETTER, post, speaker=castellan.pk)
    publish(client, desk, story)
    page = client.get("/articles/harbour/").content.decode()
    assert (
        'href="https://example.org/castellan/post#:~:text=a%20betrayal%20of%20the%20islanders"'
        in page
    )


def test_a_quote_moved_to_another_source_is_checked_against_that_one(desk, letter_story, castellan):
    letter, verified, _ = letter_story
    other = Source.objects.create(kind="document", title="Minutes", document="Nothing here.")
    service.annotation_update(annotation=verified, user=desk["checker"], source=other.pk)
    verified.refresh_from_db()
    assert verified.source_check == Check.NOT_FOUND
    service.annotation_update(annotation=verified, user=desk["checker"], source=letter.pk)
    verified.refresh_from_db()
    assert verified.source_check == Check.VERIFIED


def test_a_source_page_costs_three_queries(
    client, desk, letter_story, story, django_assert_num_queries
):
    letter, verified, unsupported = letter_story
    client.force_login(desk["checker"])
    confirm(client, story, unsupported, "Said on the record at the board meeting.")
    publish(client, desk, story)
    with django_assert_num_queries(3):
        assert client.get(f"/sources/{letter.pk}/?quote={verified.pk}").status_code == 200


def test_an_id_no_database_holds_is_a_plain_404(client, db):
    assert client.get("/sources/9223372036854775808/").status_code == 404


def test_a_text_file_with_nul_characters_is_read_without_them():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from articles.documents import document_text

    upload = SimpleUploadedFile("a.txt", b"hello \x00 world")
    assert document_text(upload) == "hello  world"
