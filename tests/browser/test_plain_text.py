"""The browser's plain text (static/js/plain-text.js) is the server's (anchoring.plain_text).

Selections made in the browser become offsets into that text, which the server then checks
against its own copy: one character of drift and every span after it would be refused.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.annotations import anchoring
from articles.models import Article

from .conftest import annotate_url

pytestmark = pytest.mark.browser

TRICKY_BODIES = {
    "lists": "<ul><li>One</li><li>Two <em>and</em> a half</li></ul><ol start='3'><li>Three</li>"
    "</ol><ul><li>Outer<ul><li>Inner</li></ul></li></ul>",
    "headings": "<h2>A heading</h2><p>Its paragraph.</p><h3>Sub</h3><h4>Subsub</h4><p>End</p>",
    "blockquote": "<p>Before</p><blockquote><p>First said.</p><p>Then said.</p></blockquote>"
    "<p>After</p>",
    "line breaks": "<p>Line one<br>Line two<br><br>Line four<br></p><p><br>Leading break</p>"
    "<p>a <br> b<br><br><br>three breaks <br> <br> spaced<br><strong><br>in</strong></p>",
    "entities": "<p>Fish &amp; chips&nbsp;&nbsp;cost &lt;£5&gt; &quot;ok&quot; &#x1F600;</p>"
    "<p>&nbsp;</p><p>x&nbsp; y</p>",
    "astral": "<p>🇭🇹 Haiti 😀 then <strong>bold</strong> 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 👩‍👩‍👧 end</p>",
    "inline": "<p>An <em>emphatic</em>, <strong>strong</strong> and "
    "<a href='https://example.com/'>linked <em>nested</em></a> word.</p>",
    "whitespace": "\n  <p>\n   Spaced\t out\n  </p>\n\n  <p>  again  </p>  \n"
    "<ul>\n <li> item </li>\n</ul>\n",
    "text between blocks": "<p>end of <em>one</em></p>text between<p>two</p> tail",
    "other whitespace": "<p>tab\u00a0nbsp\u2003em\u2009thin\r\nline\x0cfeed</p>",
}
RAW_ONLY_BODIES = {
    # Tags the sanitizer removes from stored bodies, but that plain_text still defines.
    "hidden": "<p>shown</p><script>var x = '<p>no</p>';</script><style>p{}</style>"
    "<template><p>no</p></template><p>also <!-- a comment --> shown</p>",
    "divs and tables": "<div>one<div>two</div></div><table><tr><td>a</td><td>b</td></tr>"
    "</table><hr>after rule<section><p>in section</p></section>",
}


def js_plain_text(page, selector="#root") -> str:
    return page.evaluate(
        "selector => NewsroomPlainText.project(document.querySelector(selector)).text", selector
    )


@pytest.mark.parametrize("body", [*TRICKY_BODIES.values(), *RAW_ONLY_BODIES.values()],
                         ids=[*TRICKY_BODIES, *RAW_ONLY_BODIES])  # fmt: skip
def test_projection_equals_the_servers_plain_text(plain_text_page, body):
    page = plain_text_page(body)
    assert js_plain_text(page) == anchoring.plain_text(body)


def test_elements_marked_skip_are_left_out(plain_text_page):
    page = plain_text_page('<p>kept</p><p data-plain-text="skip">dropped</p><p>kept too</p>')
    assert js_plain_text(page) == "kept\n\nkept too"


# Bodies built from the tags, characters and whitespace that make the definition subtle, in
# valid HTML only: the browser repairs invalid nesting (a <p> in a <p>) where Python's parser
# does not, and stored bodies are always valid, being the sanitizer's output.
WORDS = ["word", "🇭🇹", "😀x", "&amp;", "&nbsp;", "é", "a&nbsp;b", "𝔘"]
SPACES = ["", " ", "  ", "\n", "\t ", " \n\n "]


@st.composite
def phrasing(draw, depth=0, in_link=False):
    """Inline content: words, line breaks, inline elements."""
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        choice = draw(st.integers(0, 3 if depth < 3 else 1))
        if choice == 0:
            parts.append(draw(st.sampled_from(WORDS)))
        elif choice == 1:
            parts.append(draw(st.sampled_from(["<br>", "<br><br>", "<br> <br><br>", "word"])))
        else:
            tag = draw(st.sampled_from(["em", "strong", "span"] if in_link else ["em", "a"]))
            inner = draw(phrasing(depth + 1, in_link or tag == "a"))
            parts.append(f"<{tag}>{inner}</{tag}>")
        parts.append(draw(st.sampled_from(SPACES)))
    return "".join(parts)


@st.composite
def flow(draw, depth=0):
    """Block content: paragraphs, headings, quotes, lists, rules, and loose inline content."""
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        choice = draw(st.integers(0, 5 if depth < 2 else 2))
        if choice == 0:
            parts.append(draw(phrasing(depth)))
        elif choice == 1:
            tag = draw(st.sampled_from(["p", "h2"]))
            parts.append(f"<{tag}>{draw(phrasing(depth))}</{tag}>")
        elif choice == 2:
            parts.append("<hr>")
        elif choice == 3:
            tag = draw(st.sampled_from(["blockquote", "div"]))
            parts.append(f"<{tag}>{draw(flow(depth + 1))}</{tag}>")
        else:
            items = draw(st.lists(flow(depth + 1), min_size=1, max_size=3))
            tag = draw(st.sampled_from(["ul", "ol"]))
            parts.append(f"<{tag}>" + "".join(f"<li>{item}</li>" for item in items) + f"</{tag}>")
        parts.append(draw(st.sampled_from(SPACES)))
    return "".join(parts)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(body=flow())
def test_projection_equals_the_servers_plain_text_on_generated_bodies(plain_text_page, body):
    page = plain_text_page("")
    projected = page.evaluate(
        """body => {
            const root = document.createElement("div");
            root.innerHTML = body;
            return NewsroomPlainText.project(root).text;
        }""",
        body,
    )
    assert projected == anchoring.plain_text(body)


SELECT_TEXT_NODE = """([selector, word, before, after]) => {
    const root = document.querySelector("#root");
    const node = [...root.querySelectorAll(selector)].map(e => e.firstChild)
        .find(t => t.data.includes(word));
    const at = node.data.indexOf(word);
    const range = document.createRange();
    range.setStart(node, Math.max(0, at - before));
    range.setEnd(node, Math.min(node.data.length, at + word.length + after));
    return NewsroomPlainText.rangeToOffsets(root, range);
}"""


def test_selection_after_emoji_gives_the_servers_code_point_offsets(plain_text_page):
    body = "<p>😀 🇭🇹 Haiti: what he called the <em>inhumane</em> deportation</p>"
    page = plain_text_page(body)
    offsets = page.evaluate(SELECT_TEXT_NODE, ["em", "inhumane", 0, 0])
    text = anchoring.plain_text(body)
    start = text.index("inhumane")  # Python counts code points
    assert offsets == {"start": start, "end": start + len("inhumane")}
    assert start == 31  # UTF-16 would say 34: three astral characters before


def test_selection_overshooting_into_whitespace_is_trimmed_to_the_words(plain_text_page):
    body = "<p>🇭🇹 one   two\n three</p><p>four</p>"
    page = plain_text_page(body)
    text = anchoring.plain_text(body)
    offsets = page.evaluate(SELECT_TEXT_NODE, ["p", "two", 3, 2])
    assert text[offsets["start"] : offsets["end"]] == "two"
    across = page.evaluate(
        """() => {
            const [first, second] = document.querySelectorAll("#root p");
            const range = document.createRange();
            range.setStart(first.firstChild, first.firstChild.data.indexOf("three"));
            range.setEnd(second, 0);  // a triple click ends at the start of the next block
            return NewsroomPlainText.rangeToOffsets(document.querySelector("#root"), range);
        }"""
    )
    assert text[across["start"] : across["end"]] == "three"


def test_selection_across_blocks_and_the_way_back(plain_text_page):
    body = "<p>A <strong>bold 🇭🇹 start</strong></p><blockquote><p>and an end</p></blockquote>"
    page = plain_text_page(body)
    text = anchoring.plain_text(body)
    result = page.evaluate(
        """() => {
            const root = document.querySelector("#root");
            const range = document.createRange();
            range.setStart(root.querySelector("strong").firstChild, 5);
            range.setEnd(root.querySelector("blockquote p").firstChild, 6);
            const offsets = NewsroomPlainText.rangeToOffsets(root, range);
            const back = NewsroomPlainText.offsetsToRange(root, offsets.start, offsets.end);
            const text = NewsroomPlainText.project(root).text;
            return {offsets, back: back.toString(),
                    described: NewsroomPlainText.describe(text, offsets.start, offsets.end)};
        }"""
    )
    start, end = result["offsets"]["start"], result["offsets"]["end"]
    assert text[start:end] == "🇭🇹 start\n\nand an"
    assert result["back"] == "🇭🇹 startand an"  # the DOM's own text has no breaks
    assert result["described"] == anchoring.describe(text, start, end)


def test_describe_slices_context_by_code_points(plain_text_page):
    text = "😀" * 40 + "quoted" + "🇭🇹" * 20
    page = plain_text_page("")
    described = page.evaluate("t => NewsroomPlainText.describe(t, 40, 46)", text)
    assert described == anchoring.describe(text, 40, 46)


def test_annotate_page_projects_to_the_stored_plain_text(
    page, live_server, log_in, editor, foote_article
):
    """The server renders each body with its highlights; the page must still project exactly."""
    log_in()
    articles = [foote_article] + [
        Article.objects.create(headline=f"Tricky {name}", slug=f"tricky-{index}", body=body)
        for index, (name, body) in enumerate(TRICKY_BODIES.items())
    ]
    for article in articles:
        page.goto(annotate_url(live_server, article))
        assert js_plain_text(page, "#annotate-body") == article.plain_text, article.headline
