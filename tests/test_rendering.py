"""Tests for annotations.rendering: highlighting plain-text spans inside the body's markup."""

import html
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.annotations import anchoring
from articles.annotations.anchoring import VOID_TAGS, WHITESPACE, StartTag, Text
from articles.annotations.rendering import Span, render_body

FOOTE_STORY = Path(__file__).resolve().parent.parent / "articles" / "data" / "foote-story.txt"
FOOTE_TITLE = "Daniel Foote, U.S. Special Envoy for Haiti"


def foote_html() -> str:
    text = FOOTE_STORY.read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    return "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)


def span_of(body: str, phrase: str, kind: str = "quote", **kwargs) -> Span:
    plain = anchoring.plain_text(body)
    start = plain.index(phrase)
    return Span(start, start + len(phrase), kind, **kwargs)


class _Checker(HTMLParser):
    """Records tags, fails on unbalanced tags or a link inside a link."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.starts: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.starts.append((tag, dict(attrs)))
        if tag in VOID_TAGS:
            return
        if tag == "a" and "a" in self.stack:
            self.errors.append("a inside a")
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID_TAGS:
            self.errors.append(f"closing void {tag}")
        elif not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
        else:
            self.stack.pop()


def check_well_formed(output: str) -> _Checker:
    checker = _Checker()
    checker.feed(output)
    checker.close()
    assert checker.errors == []
    assert checker.stack == []
    return checker


def fragments(output: str, name: str, value: str) -> list[tuple[str, dict, str]]:
    """(tag, attrs, text) of each element carrying ``data-{name}="{value}"``, in order."""
    found = []
    open_elements: list[tuple[str, dict, list[str]] | None] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in VOID_TAGS:
                return
            attrs = dict(attrs)
            hit = attrs.get(f"data-{name}") == value
            open_elements.append((tag, attrs, []) if hit else None)

        def handle_endtag(self, tag):
            if tag in VOID_TAGS:
                return
            element = open_elements.pop()
            if element is not None:
                found.append((element[0], element[1], "".join(element[2])))

        def handle_data(self, data):
            for element in open_elements:
                if element is not None:
                    element[2].append(data)

    Collector(convert_charrefs=True).feed(output)
    return found


def covered_offsets(output: str, name: str, value: str) -> list[tuple[int, str]]:
    """Plain-text offsets (and characters) of the output's text inside the marked elements."""
    events, _plain = anchoring.parse(output)
    depth_inside, stack, covered = 0, [], []
    for event in events:
        if isinstance(event, StartTag):
            hit = dict(event.attrs).get(f"data-{name}") == value
            stack.append(hit)
            depth_inside += hit
        elif isinstance(event, Text):
            if depth_inside:
                covered.extend(zip(event.offsets, event.data, strict=True))
        else:
            depth_inside -= stack.pop()
    return covered


# --- The Foote story --------------------------------------------------------------------------


def test_inhumane_quote_links_to_speaker_page_with_title_and_curly_quotes_outside():
    body = foote_html()
    span = span_of(body, "inhumane", href="/people/daniel-foote/", title=FOOTE_TITLE)
    output = render_body(body, [span])
    expected = (
        'what he called the “<a class="annotation annotation--quote" '
        f'href="/people/daniel-foote/" title="{FOOTE_TITLE}">inhumane</a>” deportation'
    )
    assert expected in output
    check_well_formed(output)


def test_body_without_spans_is_reproduced_unchanged():
    body = foote_html()
    assert render_body(body, []) == body


def test_spans_render_in_foote_story_keep_its_plain_text():
    body = foote_html()
    spans = [
        span_of(body, "inhumane", href="/people/daniel-foote/", title=FOOTE_TITLE),
        span_of(body, "Daniel Foote", "mention", href="/people/daniel-foote/"),
        span_of(body, "the Haitian president", "mention", title="Jovenel Moïse"),
        span_of(body, "Sources within the Biden Administration", "claim"),
    ]
    output = render_body(body, spans)
    check_well_formed(output)
    assert anchoring.plain_text(output) == anchoring.plain_text(body)


# --- Crossing markup --------------------------------------------------------------------------


def test_span_crossing_em_is_split_into_well_formed_fragments():
    body = "<p>He called it <em>truly inhumane</em> and left.</p>"
    span = span_of(body, "it truly", "quote", data=(("k", "1"),))
    output = render_body(body, [span])
    check_well_formed(output)
    assert [text for _tag, _attrs, text in fragments(output, "k", "1")] == ["it ", "truly"]
    assert "<em><span" in output and "truly</span> inhumane</em>" in output


def test_span_crossing_two_paragraphs_is_split_per_paragraph():
    body = "<p>First paragraph ends.</p>\n<p>Second begins here.</p>"
    span = span_of(body, "ends.\n\nSecond", "claim", data=(("k", "1"),))
    output = render_body(body, [span])
    check_well_formed(output)
    assert [text for _tag, _attrs, text in fragments(output, "k", "1")] == ["ends.", "Second"]
    assert "</p>\n<p>" in output  # nothing wrapped between the paragraphs


def test_br_inside_a_span_keeps_one_fragment_and_is_not_closed():
    body = "<p>one<br>two</p>"
    output = render_body(body, [Span(0, 7, "note")])
    assert output == '<p><span class="annotation annotation--note">one<br>two</span></p>'


def test_original_attributes_are_reproduced_escaped():
    body = '<p><a href="/search?q=a&amp;b=&quot;c&quot;">link</a></p>'
    assert render_body(body, []) == body


# --- Nesting and overlap ----------------------------------------------------------------------


def test_nested_spans_outer_wraps_inner():
    body = "<p>the President Joe Biden said</p>"
    outer = span_of(body, "President Joe Biden", "mention", data=(("k", "outer"),))
    inner = span_of(body, "Joe Biden", "mention", data=(("k", "inner"),))
    output = render_body(body, [inner, outer])
    check_well_formed(output)
    assert (
        '<span class="annotation annotation--mention" data-k="outer">President '
        '<span class="annotation annotation--mention" data-k="inner">Joe Biden</span></span>'
    ) in output


def test_same_start_longer_span_is_outer():
    body = "<p>abcdef</p>"
    output = render_body(body, [Span(0, 3, "b"), Span(0, 6, "a")])
    assert output == (
        '<p><span class="annotation annotation--a"><span class="annotation annotation--b">abc'
        "</span>def</span></p>"
    )


def test_overlapping_spans_split_the_inner_one_where_the_outer_ends():
    body = "<p>abcdefgh</p>"
    first = Span(0, 5, "a", data=(("k", "1"),))
    second = Span(3, 8, "b", data=(("k", "2"),))
    output = render_body(body, [second, first])
    check_well_formed(output)
    assert [text for *_, text in fragments(output, "k", "1")] == ["abcde"]
    assert [text for *_, text in fragments(output, "k", "2")] == ["de", "fgh"]


# --- Links ------------------------------------------------------------------------------------


def test_span_inside_body_link_becomes_span_not_nested_link():
    body = '<p>See <a href="/elsewhere">Daniel Foote</a> now</p>'
    span = span_of(body, "Foote", "mention", href="/people/daniel-foote/", title="Foote")
    output = render_body(body, [span])
    check_well_formed(output)
    assert '<a href="/elsewhere">Daniel <span class="annotation annotation--mention" ' in output
    assert "/people/daniel-foote/" not in output
    assert 'title="Foote"' in output


def test_span_inside_linked_span_is_a_span_and_link_resumes_after():
    body = "<p>abcdef</p>"
    outer = Span(0, 4, "quote", href="/people/a/")
    inner = Span(1, 6, "mention", href="/people/b/", data=(("k", "in"),))
    output = render_body(body, [outer, inner])
    check_well_formed(output)
    tags = [tag for tag, *_ in fragments(output, "k", "in")]
    assert tags == ["span", "a"]


# --- Escaping ---------------------------------------------------------------------------------


def test_title_with_markup_stays_an_attribute_value():
    body = "<p>hello world</p>"
    output = render_body(body, [Span(0, 5, "note", title='x"><script>alert(1)</script>')])
    check_well_formed(output)
    assert "<script>" not in output
    assert 'title="x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in output


def test_text_lt_and_amp_are_escaped_again():
    body = "<p>a &lt; b &amp; c</p>"
    output = render_body(body, [Span(0, 3, "claim")])
    assert output == '<p><span class="annotation annotation--claim">a &lt;</span> b &amp; c</p>'


@pytest.mark.parametrize(
    "span",
    [Span(0, 1, "Quote"), Span(0, 1, "a b"), Span(0, 1, 'x"'), Span(0, 1, "")]
    + [Span(0, 1, "note", data=((name, "1"),)) for name in ("Id", "a b", 'x"><', "")],
)
def test_invalid_kind_or_data_name_raises(span):
    with pytest.raises(ValueError):
        render_body("<p>abc</p>", [span])


# --- Fragments: id and footnote marker --------------------------------------------------------


def test_id_on_first_fragment_only():
    body = "<p>one <em>two</em> three</p>"
    output = render_body(body, [Span(0, 13, "quote", element_id="quote-1", data=(("k", "1"),))])
    ids = [attrs.get("id") for _tag, attrs, _text in fragments(output, "k", "1")]
    assert ids == ["quote-1", None, None]
    assert output.count('id="quote-1"') == 1


def test_footnote_marker_after_last_fragment_only():
    body = "<p>one <em>two</em></p><p>three four</p>"
    span = span_of(body, "one two\n\nthree", ref_label="1", ref_href="#source-1")
    output = render_body(body, [span])
    check_well_formed(output)
    marker = '<sup class="annotation-ref"><a href="#source-1">1</a></sup>'
    assert output.count(marker) == 1
    assert output.endswith(f"three</span>{marker} four</p>")


def test_footnote_marker_follows_a_fragment_that_ends_at_a_closing_tag():
    body = "<p><em>one</em> two</p>"
    output = render_body(body, [Span(0, 3, "quote", ref_label="2", ref_href="#s2")])
    assert output.startswith(
        '<p><em><span class="annotation annotation--quote">one</span>'
        '<sup class="annotation-ref"><a href="#s2">2</a></sup></em>'
    )


def test_footnote_marker_inside_a_link_waits_until_the_link_closes():
    body = '<p><a href="/x">abc</a> def</p>'
    output = render_body(body, [Span(0, 2, "quote", ref_label="1", ref_href="#s")])
    check_well_formed(output)
    assert '</a><sup class="annotation-ref"><a href="#s">1</a></sup> def' in output


# --- Footnote markers and closing quotation marks ---------------------------------------------

MARKER = '<sup class="annotation-ref"><a href="#quote-note-1">1</a></sup>'


def quote_with_marker(body: str, phrase: str, **kwargs) -> str:
    span = span_of(body, phrase, ref_label="1", ref_href="#quote-note-1", **kwargs)
    output = render_body(body, [span])
    check_well_formed(output)
    assert output.count(MARKER) == 1
    return output


def test_foote_inhumane_marker_comes_after_the_closing_quotation_mark():
    output = quote_with_marker(
        foote_html(), "inhumane", href="/people/daniel-foote/", title=FOOTE_TITLE
    )
    assert f">inhumane</a>”{MARKER} deportation" in output
    assert f"inhumane{MARKER}”" not in output.replace("</a>", "")


@pytest.mark.parametrize(
    "body,phrase,expected",
    [
        # The quoted words hold their own stop, the closing mark follows them.
        (
            "<p>He said “we love this country.” Then</p>",
            "we love this country.",
            f"country.</span>”{MARKER} Then",
        ),
        # Punctuation between the words and the closing mark: the marker follows both.
        (
            "<p>He called it “inhumane,” and left.</p>",
            "inhumane",
            f"inhumane</span>,”{MARKER} and",
        ),
        # Single marks, and a quotation inside a quotation.
        ("<p>He said ‘fine’ then</p>", "fine", f"fine</span>’{MARKER} then"),
        ("<p>“He said ‘fine’” then</p>", "fine", f"fine</span>’”{MARKER} then"),
        ('<p>He said "fine" then</p>', "fine", f'fine</span>"{MARKER} then'),
        # A closing mark at the end of a paragraph: the marker comes before the paragraph ends.
        (
            "<p>He said “we love this country.”</p><p>Next.</p>",
            "we love this country.",
            f"country.</span>”{MARKER}</p><p>Next.</p>",
        ),
        # The closing mark after the end of an element the span ends in.
        (
            "<p>He called it “<em>inhumane</em>” once.</p>",
            "inhumane",
            f"inhumane</span></em>”{MARKER} once",
        ),
        # Words the span already closes with their marks: the marker right after.
        (
            "<p>He called it “inhumane” once.</p>",
            "“inhumane”",
            f"“inhumane”</span>{MARKER} once",
        ),
    ],
)
def test_footnote_marker_comes_after_a_closing_quotation_mark_that_follows(body, phrase, expected):
    assert expected in quote_with_marker(body, phrase)


@pytest.mark.parametrize(
    "body,phrase,expected",
    [
        # An apostrophe is no closing mark: the marker stays on the words.
        ("<p>Foote’s frustration</p>", "Foote", f"Foote</span>{MARKER}’s frustration"),
        ("<p>Foote's frustration</p>", "Foote", f"Foote</span>{MARKER}'s frustration"),
        # A paraphrase followed by its sentence's stop, no quotation mark: unchanged.
        ("<p>they say ideals. Images</p>", "ideals", f"ideals</span>{MARKER}. Images"),
        # A closing mark after a space does not follow the words.
        ("<p>words ” odd</p>", "words", f"words</span>{MARKER} ”"),
    ],
)
def test_footnote_marker_stays_on_words_not_followed_by_a_closing_mark(body, phrase, expected):
    assert expected in quote_with_marker(body, phrase)


def test_footnote_marker_after_closing_marks_inside_a_body_link_waits_until_it_closes():
    body = '<p><a href="/x">“inhumane”</a> once</p>'
    output = quote_with_marker(body, "inhumane")
    assert f"inhumane</span>”</a>{MARKER} once" in output


def test_footnote_markers_of_nested_quotes_follow_their_own_closing_marks():
    body = "<p>He wrote: “It is ‘inhumane’ and wrong.” Then</p>"
    plain = anchoring.plain_text(body)
    inner = span_of(body, "inhumane", ref_label="1", ref_href="#n1")
    start = plain.index("It is")
    outer = Span(start, plain.index("wrong.") + 6, "quote", ref_label="2", ref_href="#n2")
    output = render_body(body, [outer, inner])
    check_well_formed(output)
    marker = '<sup class="annotation-ref"><a href="#n{}">{}</a></sup>'
    assert f"inhumane</span>’{marker.format(1, 1)} and" in output
    assert f"wrong.</span>”{marker.format(2, 2)} Then" in output


# --- Boundaries -------------------------------------------------------------------------------


def test_collapsed_whitespace_after_span_stays_outside():
    body = "<p>alpha  \n  beta</p>"
    output = render_body(body, [Span(0, 5, "note")])
    assert output == '<p><span class="annotation annotation--note">alpha</span>  \n  beta</p>'


@pytest.mark.parametrize("start,end", [(3, 3), (4, 2), (0, 99), (-1, 2), (50, 60)])
def test_empty_or_out_of_range_spans_are_skipped(start, end):
    body = "<p>abcdef</p>"
    assert render_body(body, [Span(start, end, "note")]) == body


# --- Properties over random bodies and spans --------------------------------------------------

TEXT = st.text(alphabet="ab <&\n\u00a0é.,”’\"'", min_size=1, max_size=8).map(
    lambda text: html.escape(text, quote=False)
)


def _link(inner: str) -> str:
    return f'<a href="/l?x=1&amp;y=2">{inner}</a>'


# Inline markup as the sanitizer leaves it: emphasis and breaks nest freely, links never nest.
PHRASING = st.recursive(
    st.one_of(TEXT, st.just("<br>")),
    lambda children: st.tuples(st.sampled_from(["em", "strong"]), children).map(
        lambda pair: f"<{pair[0]}>{pair[1]}</{pair[0]}>"
    ),
    max_leaves=5,
)
INLINE = st.one_of(
    PHRASING,
    PHRASING.map(_link),
    st.tuples(PHRASING, PHRASING).map(lambda pair: f"<em>{pair[0]}{_link(pair[1])}</em>"),
)
INLINE_RUN = st.lists(INLINE, min_size=1, max_size=4).map("".join)
SEPARATOR = st.sampled_from(["", "\n", " "])
BLOCK = st.one_of(
    st.tuples(st.sampled_from(["p", "h2", "h3", "h4"]), INLINE_RUN).map(
        lambda pair: f"<{pair[0]}>{pair[1]}</{pair[0]}>"
    ),
    st.tuples(st.sampled_from(["ul", "ol"]), st.lists(INLINE_RUN, min_size=1, max_size=3)).map(
        lambda pair: f"<{pair[0]}>" + "\n".join(f"<li>{i}</li>" for i in pair[1]) + f"</{pair[0]}>"
    ),
    st.lists(INLINE_RUN, min_size=1, max_size=2).map(
        lambda items: "<blockquote>" + "".join(f"<p>{i}</p>" for i in items) + "</blockquote>"
    ),
)
BODY = st.tuples(st.lists(BLOCK, min_size=1, max_size=4), SEPARATOR).map(
    lambda pair: pair[1].join(pair[0])
)


@st.composite
def body_and_spans(draw, with_refs=False):
    body = draw(BODY)
    size = len(anchoring.plain_text(body))
    spans = []
    for k in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, size + 1))
        end = draw(st.integers(start, size + 2))
        spans.append(
            Span(
                start,
                end,
                draw(st.sampled_from(["quote", "mention", "note"])),
                href=draw(st.sampled_from(["", "/people/x/"])),
                element_id=f"span-{k}",
                ref_label=str(k) if with_refs and draw(st.booleans()) else "",
                ref_href=f"#source-{k}",
                data=(("k", str(k)),),
            )
        )
    return body, spans


PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(body_and_spans())
def test_property_rendering_keeps_the_plain_text(case):
    body, spans = case
    assert anchoring.plain_text(render_body(body, spans)) == anchoring.plain_text(body)


@PROPERTY_SETTINGS
@given(body_and_spans(with_refs=True))
def test_property_output_is_well_formed_without_nested_links(case):
    body, spans = case
    output = render_body(body, spans)
    checker = check_well_formed(output)
    ids = [attrs["id"] for _tag, attrs in checker.starts if "id" in attrs]
    assert len(ids) == len(set(ids))


@PROPERTY_SETTINGS
@given(body_and_spans(with_refs=True))
def test_property_every_shown_span_has_its_footnote_marker_once(case):
    body, spans = case
    output = render_body(body, spans)
    plain = anchoring.plain_text(body)
    for k, span in enumerate(spans):
        shown = 0 <= span.start < span.end <= len(plain) and plain[span.start : span.end].strip(
            "".join(WHITESPACE)
        )
        expected = 1 if shown and span.ref_label else 0
        assert output.count(f'href="#source-{k}"') == expected


@PROPERTY_SETTINGS
@given(body_and_spans())
def test_property_fragments_cover_exactly_the_span_text(case):
    body, spans = case
    output = render_body(body, spans)
    plain = anchoring.plain_text(body)
    for k, span in enumerate(spans):
        in_range = 0 <= span.start < span.end <= len(plain)
        expected = plain[span.start : span.end] if in_range else ""
        text = "".join(text for *_, text in fragments(output, "k", str(k)))
        assert "".join(text.split()) == "".join(expected.split())
        # Stronger: by offsets, every visible character of the span and nothing else.
        covered = covered_offsets(output, "k", str(k))
        visible = {offset for offset, char in covered if char not in WHITESPACE}
        assert visible == {
            i for i, char in enumerate(expected, span.start) if char not in WHITESPACE
        }
        assert all(span.start <= offset < span.end for offset, _char in covered)
