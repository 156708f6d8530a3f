import pytest

from articles.models import Article
from articles.sanitizing import sanitize_body

REL = 'rel="noopener noreferrer nofollow"'
QUOTE = "<blockquote><p><em>kept</em> <strong>too</strong></p></blockquote>"


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ('<p>Hi <a href="javascript:alert(1)">x</a></p>', f"<p>Hi <a {REL}>x</a></p>"),
        ('<p><a href="data:text/html,&lt;script&gt;">x</a></p>', f"<p><a {REL}>x</a></p>"),
        ('<p onclick="alert(1)" style="color:red">words</p>', "<p>words</p>"),
        ("<p>a<script>alert(1)</script>b</p>", "<p>ab</p>"),
        ('<p><img src=x onerror="alert(1)">seen</p>', "<p>seen</p>"),
        ("<h1>Title</h1><h2>Sub</h2>", "Title<h2>Sub</h2>"),
        (QUOTE, QUOTE),
        ('<p><a href="https://a.org/" target="_blank" title="t">link</a></p>',
         f'<p><a href="https://a.org/" title="t" {REL}>link</a></p>'),
    ],
)  # fmt: skip
def test_body_keeps_only_its_small_tag_set_and_safe_links(dirty, clean):
    assert sanitize_body(dirty) == clean


def test_every_save_sanitizes_the_body_whoever_saves_it(db):
    article = Article.objects.create(
        headline="h", slug="h", body='<p>x<script>alert(1)</script><a href="javascript:x">y</a></p>'
    )
    article.refresh_from_db()
    assert "script" not in article.body and "javascript" not in article.body
