"""The Foote resignation story: the facts the newsroom built around the text it received.

Dates known only to the month carry month precision and are never given an invented day.
"""

import datetime
import html
from pathlib import Path

STORY_TEXT_PATH = Path(__file__).with_name("foote-story.txt")

PUBLISHED_AT = datetime.datetime(2021, 9, 23, 14, 0, tzinfo=datetime.UTC)

ARTICLE = {
    "slug": "us-envoy-to-haiti-resigns-over-inhumane-deportations",
    "headline": "U.S. envoy to Haiti resigns over “inhumane” deportations from Del Rio",
    "dek": "Daniel Foote, appointed special envoy in July, told Secretary of State Antony "
    "Blinken he was leaving at once, as thousands of Haitians were expelled from the "
    "Texas border town.",
}

TOPICS = [("Haiti", "haiti"), ("Immigration", "immigration")]

CBP = "us-customs-and-border-protection"
ORGANIZATIONS = [
    # slug, name, kind, website, part of
    ("the-white-house", "The White House", "government", "https://www.whitehouse.gov/", None),
    ("us-department-of-state", "U.S. Department of State", "government",
     "https://www.state.gov/", None),
    (CBP, "U.S. Customs and Border Protection", "agency", "https://www.cbp.gov/", None),
    ("us-border-patrol", "U.S. Border Patrol", "agency", "https://www.cbp.gov/", CBP),
    ("associated-press", "Associated Press", "news", "https://apnews.com/", None),
    ("pbs", "PBS", "news", "https://www.pbs.org/", None),
    ("biden-administration", "Biden Administration", "government", "", None),
]  # fmt: skip

PEOPLE = [
    # slug, name, aliases, bio, wikidata id
    (
        "joe-biden",
        "Joe Biden",
        ["Biden", "President Biden", "President Joe Biden"],
        "46th President of the United States.",
        "Q6279",
    ),
    (
        "daniel-foote",
        "Daniel Foote",
        ["Foote", "Dan Foote"],
        "Career American diplomat; U.S. Special Envoy for Haiti in 2021.",
        "",
    ),
    ("antony-blinken", "Antony Blinken", ["Blinken"], "U.S. Secretary of State, 2021–2025.", ""),
    (
        "yamiche-alcindor",
        "Yamiche Alcindor",
        ["Alcindor"],
        "American journalist; White House correspondent for PBS NewsHour.",
        "",
    ),
    ("jovenel-moise", "Jovenel Moïse", ["Moïse", "Jovenel Moise"],
     "President of Haiti, 2017–2021.", ""),
    ("newsroom-staff", "Newsroom Staff", [], "Stories written by the Newsroom desk.", ""),
]  # fmt: skip

D, M = "day", "month"
POSITIONS = [
    # person, title, organisation, (start, precision), (end, precision) or None, end note
    ("joe-biden", "President of the United States", "the-white-house",
     (datetime.date(2021, 1, 20), D), (datetime.date(2025, 1, 20), D), ""),
    ("daniel-foote", "U.S. Special Envoy for Haiti", "us-department-of-state",
     (datetime.date(2021, 7, 22), D), (datetime.date(2021, 9, 22), D), "resigned"),
    ("daniel-foote", "U.S. Ambassador to Zambia", "us-department-of-state",
     (datetime.date(2017, 11, 1), M), (datetime.date(2020, 1, 1), M), ""),
    ("antony-blinken", "U.S. Secretary of State", "us-department-of-state",
     (datetime.date(2021, 1, 26), D), (datetime.date(2025, 1, 20), D), ""),
    ("yamiche-alcindor", "White House correspondent, PBS NewsHour", "pbs",
     (datetime.date(2018, 1, 1), M), (datetime.date(2022, 5, 1), M), ""),
    ("yamiche-alcindor", "Moderator, Washington Week", "pbs",
     (datetime.date(2021, 5, 1), M), (datetime.date(2022, 5, 1), M), ""),
    ("jovenel-moise", "President of Haiti", None,
     (datetime.date(2017, 2, 7), D), (datetime.date(2021, 7, 7), D), "assassinated"),
]  # fmt: skip

PLACES = [
    ("haiti", "Haiti", "Caribbean country"),
    ("del-rio-texas", "Del Rio, Texas", "Border town; the encampment beneath the Del Rio "
     "International Bridge"),
    ("us-southern-border", "U.S. southern border", "The border between the United States "
     "and Mexico"),
]  # fmt: skip

SOURCES = {
    # key: kind, title, publisher slug, date, anonymity justification
    "ap": ("wire_report", "Associated Press report on Daniel Foote’s frustration with the "
           "White House", "associated-press", None, ""),
    "letter": ("document", "Daniel Foote’s resignation letter to Secretary of State Antony "
               "Blinken", None, datetime.date(2021, 9, 22), ""),
    "tweet": ("social_media_post", "Yamiche Alcindor’s post on Twitter sharing Foote’s "
              "resignation letter", None, None, ""),
    "administration": ("anonymous", "Sources within the Biden Administration", None, None,
                       "The officials were not authorised to discuss internal deliberations "
                       "publicly; the story uses them only for context that the resignation "
                       "letter and the Associated Press report corroborate."),
}  # fmt: skip

# Each annotation names its words and, when they occur more than once, which occurrence.
ANNOTATIONS = [
    {"kind": "quote", "exact": "inhumane", "speaker": "daniel-foote", "source": "letter",
     "position": ("daniel-foote", "U.S. Special Envoy for Haiti")},
    {"kind": "paraphrase", "speaker": "daniel-foote", "source": "letter",
     "exact": "He wrote to Secretary of State Antony Blinken that he was leaving his post "
              "immediately.",
     "position": ("daniel-foote", "U.S. Special Envoy for Haiti")},
    {"kind": "paraphrase", "speaker_organization": "associated-press", "source": "ap",
     "exact": "Foote’s frustration with the White House over its handling of the situation in "
              "Haiti began almost from the moment he took the job."},
    {"kind": "paraphrase", "speaker_organization": "associated-press", "source": "ap",
     "exact": "The burgeoning crisis in the Texas border town of Del Rio, which has led to "
              "thousands of Haitians being deported, reportedly pushed him to the breaking "
              "point."},
    {"kind": "paraphrase", "speaker_description": "Sources within the Biden Administration",
     "speaker_organization": "biden-administration", "source": "administration",
     "exact": "Foote’s issued went beyond frustration over what he felt was a lack of urgency "
              "to provide aid to Haiti."},
    {"kind": "paraphrase", "speaker_description": "A number of immigration advocates and "
                                                  "members of the President’s own party",
     "exact": "expelling thousands of Haitians without giving them a chance to seek asylum "
              "goes against American ideals"},
    {"kind": "claim", "exact": "a peak of about 15,000 last week",
     "note": "Check the encampment's peak against Border Patrol figures."},
    {"kind": "claim", "exact": "thousands of Haitians being deported",
     "note": "Check the number of deportation flights and people returned."},
    {"kind": "claim", "exact": "appointed to the position in July",
     "note": "Confirm the appointment date (22 July 2021) with the State Department."},
    {"kind": "mention", "exact": "President Joe Biden", "person": "joe-biden"},
    {"kind": "mention", "exact": "Daniel Foote", "person": "daniel-foote"},
    {"kind": "mention", "exact": "the Haitian president", "person": "jovenel-moise"},
    {"kind": "mention", "exact": "Secretary of State", "organization": "us-department-of-state"},
    {"kind": "mention", "exact": "Antony Blinken", "person": "antony-blinken"},
    {"kind": "mention", "exact": "Associated Press", "organization": "associated-press"},
    {"kind": "mention", "exact": "White House", "organization": "the-white-house"},
    {"kind": "mention", "exact": "Biden Administration", "organization": "biden-administration"},
    {"kind": "mention", "exact": "PBS", "organization": "pbs"},
    {"kind": "mention", "exact": "Yamiche Alcindor", "person": "yamiche-alcindor"},
    {"kind": "mention", "exact": "President Biden", "person": "joe-biden"},
    {"kind": "mention", "exact": "Border Patrol", "organization": "us-border-patrol"},
    {"kind": "mention", "exact": "Haiti", "place": "haiti"},
    {"kind": "mention", "exact": "southern border", "place": "us-southern-border"},
    {"kind": "mention", "exact": "Del Rio", "place": "del-rio-texas"},
    {"kind": "note", "exact": "Foote’s issued",
     "note": "Copy edit: “Foote’s issued” should read “Foote’s issues”."},
]  # fmt: skip


def story_html() -> str:
    """The received text as body HTML: one paragraph per blank-line-separated block."""
    text = STORY_TEXT_PATH.read_text(encoding="utf-8")
    paragraphs = [block.strip() for block in text.split("\n\n") if block.strip()]
    return "".join(f"<p>{html.escape(paragraph, quote=False)}</p>" for paragraph in paragraphs)
