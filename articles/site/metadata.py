"""What machines read about a story: schema.org NewsArticle JSON-LD and social-card tags.

Built from the published edition, like the page itself, so nothing unpublished is described.
"""

from django.conf import settings


def news_article(absolute, article, story, corrections) -> dict:
    """schema.org NewsArticle; ``absolute`` turns a site path into a full URL."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story["headline"],
        "description": story["dek"],
        "url": absolute(article.get_absolute_url()),
        "mainEntityOfPage": absolute(article.get_absolute_url()),
        "author": [
            {"@type": "Person", "name": byline["name"], "url": absolute(byline["url"])}
            for byline in story["bylines"]
        ],
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": settings.NEWSROOM_NAME,
            "url": absolute("/"),
        },
        "keywords": [topic["name"] for topic in story["topics"]],
        "mentions": [
            {"@type": thing["type"], "name": thing["name"], "url": absolute(thing["url"])}
            for thing in story.get("mentioned", [])
        ],
        "citation": [_citation(source) for source in story["sources"]],
    }
    if story["lead_image"]:
        data["image"] = [absolute(story["lead_image"]["url"])]
    if article.first_published_at:
        data["datePublished"] = article.first_published_at.isoformat()
        data["dateModified"] = (article.published_at or article.first_published_at).isoformat()
    if corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": correction.text,
                "datePublished": correction.published_at.isoformat(),
            }
            for correction in corrections
        ]
    return data


def social_card(absolute, article, story) -> dict:
    """OpenGraph and Twitter card values for the page's <meta> tags."""
    image = absolute(story["lead_image"]["url"]) if story["lead_image"] else ""
    return {
        "title": story["headline"],
        "description": story["dek"],
        "url": absolute(article.get_absolute_url()),
        "image": image,
        "image_alt": story["lead_image"]["alt"] if story["lead_image"] else "",
        "twitter_card": "summary_large_image" if image else "summary",
        "published": article.first_published_at.isoformat() if article.first_published_at else "",
    }


def _citation(source: dict) -> dict:
    citation = {"@type": "CreativeWork", "name": source["title"]}
    if source["url"]:
        citation["url"] = source["url"]
    if source["publisher"]:
        citation["publisher"] = {"@type": "Organization", "name": source["publisher"]}
    if source["date"]:
        citation["datePublished"] = source["date"]
    return citation
