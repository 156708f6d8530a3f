"""The attribution assistant (articles.attribution): who said what, suggested from plain text.

Pure Python, no database. The sentences are written for these tests, about fictional people.
"""

import html
import re
import time
from pathlib import Path

import pytest

from articles.anchoring import plain_text
from articles.attribution import Suggestion, suggest_quotes

PACKAGE = Path(__file__).resolve().parent.parent / "articles" / "attribution"
STORY_FILE = Path(__file__).resolve().parent.parent / "articles" / "data" / "foote-story.txt"


def foote_body() -> str:
    paragraphs = re.split(r"\n\s*\n", STORY_FILE.read_text(encoding="utf-8").strip())
    return plain_text("".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs))


def only(text: str, words: str) -> Suggestion:
    """The one suggestion whose words are exactly ``words``."""
    found = [s for s in suggest_quotes(text) if text[s.start : s.end] == words]
    assert len(found) == 1, [text[s.start : s.end] for s in suggest_quotes(text)]
    return found[0]


def speaker(text: str, s: Suggestion) -> str | None:
    return None if s.speaker_start is None else text[s.speaker_start : s.speaker_end]


def cue(text: str, s: Suggestion) -> str | None:
    return None if s.cue_start is None else text[s.cue_start : s.cue_end]


def test_foote_story_attributes_inhumane_to_daniel_foote_through_he_called():
    body = foote_body()
    s = only(body, "“inhumane”")
    assert s.kind == "quote"
    assert speaker(body, s) == "he"
    assert s.speaker_name == "Daniel Foote"
    assert cue(body, s) == "called"
    assert 0 < s.confidence <= 1


def test_foote_story_paraphrases_name_their_speakers():
    body = foote_body()
    by_cue = {cue(body, s): s for s in suggest_quotes(body)}
    assert by_cue["wrote"].speaker_name == "Daniel Foote"
    assert body[by_cue["wrote"].start : by_cue["wrote"].end] == (
        "that he was leaving his post immediately"
    )
    assert by_cue["According to"].speaker_name == "Associated Press"
    assert by_cue["According to"].kind == "paraphrase"


def test_foote_story_suggestions_are_valid_spans_of_the_body():
    body = foote_body()
    for s in suggest_quotes(body):
        assert 0 <= s.start < s.end <= len(body)
        assert s.kind in ("quote", "paraphrase")
        assert 0 < s.confidence <= 1
        assert (s.speaker_start is None) == (s.speaker_end is None)


def test_curly_quote_with_cue_after_and_pronoun_resolved():
    text = "Mayor Ines Calloway spoke at the harbour.\n\n“The ferry runs on time,” she said."
    s = only(text, "“The ferry runs on time,”")
    assert (s.kind, speaker(text, s), s.speaker_name, cue(text, s)) == (
        "quote",
        "she",
        "Ines Calloway",
        "said",
    )


def test_straight_quotes_with_inverted_cue_and_title_before_the_name():
    text = '"The bridge will reopen in May," said Harbour Authority director Tomas Quill.'
    s = only(text, '"The bridge will reopen in May,"')
    assert speaker(text, s) == "Harbour Authority director Tomas Quill"
    assert s.speaker_name == "Tomas Quill"


def test_cue_before_the_quote_with_an_addressee():
    text = "Transport ministry spokesman Ned Varley told reporters: “The talks are over.”"
    s = only(text, "“The talks are over.”")
    assert cue(text, s) == "told reporters"
    assert s.speaker_name == "Ned Varley"


def test_quote_split_around_its_cue_is_one_suggestion():
    text = "‘We will not back down,’ she said, ‘not this year and not ever.’ Ines Calloway left."
    s = only(text, "‘We will not back down,’ she said, ‘not this year and not ever.’")
    assert s.kind == "quote"
    assert s.speaker_name == "Ines Calloway"


def test_split_quote_across_sentences_stays_one_quote():
    text = "“The road is closed,” Petra Lind said on Friday. “It will stay closed all winter.”"
    s = only(text, text)
    assert speaker(text, s) == "Petra Lind"


def test_multi_paragraph_quote_with_one_closing_mark():
    text = (
        "Dr. Alma Ruiz opened the clinic in 2019.\n\n"
        "“We see forty patients a day,” Ruiz said. “Most of them walk here.\n\n"
        "“Some come from the hills, two hours away.”\n\n"
        "The clinic is funded by donations."
    )
    s = only(text, text[text.index("“We") : text.index("away.”") + 6])
    assert s.speaker_name == "Alma Ruiz"


def test_paraphrase_with_cue_before_holds_its_partial_quote():
    text = 'Councillor Mara Henning said the plan was "dead on arrival" and would fail.'
    s = only(text, 'the plan was "dead on arrival" and would fail')
    assert (s.kind, speaker(text, s), s.speaker_name) == (
        "paraphrase",
        "Councillor Mara Henning",
        "Mara Henning",
    )


def test_paraphrase_with_cue_after_and_apposition():
    text = "The ferry will be late all week, Tomas Quill, the port's director, said on Monday."
    s = only(text, "The ferry will be late all week")
    assert s.kind == "paraphrase"
    assert s.speaker_name == "Tomas Quill"


def test_cue_inside_the_sentence_attributes_the_words_around_it():
    text = "The ferry, Petra Lind said, will not sail again before the spring."
    s = only(text, "The ferry, Petra Lind said, will not sail again before the spring")
    assert (s.kind, speaker(text, s), cue(text, s)) == ("paraphrase", "Petra Lind", "said")


def test_according_to_before_and_after_the_clause():
    before = "According to the Riverside Gazette, the bridge will reopen in May."
    s = only(before, "the bridge will reopen in May")
    assert (cue(before, s), s.speaker_name) == ("According to", "Riverside Gazette")
    after = "The bridge will reopen in May, according to port officials."
    s = only(after, "The bridge will reopen in May")
    assert speaker(after, s) == "port officials"


def test_description_resolves_to_the_organisation_it_describes():
    text = (
        "The Riverside Gazette broke the story on Sunday. "
        "The influential regional daily said the mayor had known for weeks."
    )
    s = only(text, "the mayor had known for weeks")
    assert speaker(text, s) == "The influential regional daily"
    assert s.speaker_name == "Riverside Gazette"


def test_scare_quotes_and_titles_are_not_suggested():
    text = (
        'The council met in what locals call the "new" hall. '
        'Tomas Quill starred in the film "The Long Harbour" last year. '
        'Petra Lind hosts "Morning Harbour" on weekdays.'
    )
    assert suggest_quotes(text) == []


def test_a_quotation_far_from_any_cue_is_offered_without_a_speaker():
    text = (
        "The harbour reopened on Monday after a month of repairs.\n\n"
        "“Nobody here has seen a winter like this one in forty years.”"
    )
    s = only(text, text[text.index("“") :])
    assert (s.speaker_start, s.speaker_name, s.cue_start) == (None, None, None)
    assert s.confidence <= 0.3


def test_named_words_in_quotation_marks_are_a_quote_with_lower_confidence():
    text = "Petra Lind called the ruling “a disgrace” on Friday."
    s = only(text, "“a disgrace”")
    assert (s.kind, cue(text, s), s.speaker_name) == ("quote", "called", "Petra Lind")
    assert s.confidence < 0.9


def test_a_story_of_two_thousand_words_takes_under_200_ms():
    paragraph = (
        "“The ferry runs on time,” said Harbour Authority director Tomas Quill. "
        "Councillor Mara Henning said the plan was “dead on arrival” and would fail. "
        "According to the Riverside Gazette, the bridge will reopen in May after repairs. "
    )
    text = "\n\n".join([paragraph] * 60)
    assert len(text.split()) > 2000
    began = time.perf_counter()
    found = suggest_quotes(text)
    assert time.perf_counter() - began < 0.2
    assert len(found) == 180


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_the_suggester_is_pure_python(path):
    assert "django" not in path.read_text(encoding="utf-8")
