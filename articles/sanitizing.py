"""The small tag set an article body may hold, and the one sanitizer that enforces it.

Every write path (admin form, loader, import, revert) passes the body through
``sanitize_body`` before it is stored, so stored HTML is always trusted output.
"""

import nh3

BODY_TAGS = frozenset(
    {"p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "a", "em", "strong", "br"}
)
BODY_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
LINK_SCHEMES = frozenset({"http", "https", "mailto"})

# The rich-text editor offers exactly what the sanitizer keeps, so nothing an editor types
# is silently dropped on save.
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": sorted(LINK_SCHEMES)},
}

_body_cleaner = nh3.Cleaner(
    tags=set(BODY_TAGS),
    attributes={tag: set(names) for tag, names in BODY_ATTRIBUTES.items()},
    url_schemes=set(LINK_SCHEMES),
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
)


def sanitize_body(html: str) -> str:
    """Keep only the body's tag set; drop scripts, styles, event handlers and unsafe URLs."""
    cleaned = _body_cleaner.clean(html or "").strip()
    return "" if cleaned in ("<p></p>", "<p><br></p>") else cleaned
