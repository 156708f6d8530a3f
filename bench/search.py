"""How fast article search answers: run ``.venv/bin/python bench/search.py`` from the root.

Creates a database of its own next to the one ``DATABASE_URL`` names (on PostgreSQL a database
``newsroom_bench_search_<pid>`` on the same server; on SQLite a file in the system's temporary
folder), migrates it, fills it with ``--articles`` synthetic published articles (seeded, so
every run measures the same words), and times what the search page asks for, the count and the
first page of 20, newest first and by relevance, for rare, common and missing words. The same
searches through the substring matching that serves when there is no full-text index show what
the index buys. The database is dropped at the end. It prints figures; it is not a test.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article, PublishedArticle  # noqa: E402
from articles.publishing import selectors  # noqa: E402
from articles.site import search  # noqa: E402

SEED = 20210923
PAGE = 20
SYLLABLES = [consonant + vowel for consonant in "bdklmnrst" for vowel in "aeiou"]
# Real words the searches ask for, planted at known frequencies among the synthetic ones.
PLANTED = {"haiti": 0.5, "deportation": 0.05, "encampment": 0.005}


def main() -> None:
    args = parse_args()
    rng = random.Random(args.seed)
    settings = connection.settings_dict
    database_name = settings["NAME"]
    if connection.vendor == "sqlite":
        folder = Path(tempfile.gettempdir()) / "newsroom-bench"
        folder.mkdir(exist_ok=True)
        settings["TEST"]["NAME"] = str(folder / f"search-{os.getpid()}.sqlite3")
    else:
        settings["TEST"]["NAME"] = f"newsroom_bench_search_{os.getpid()}"
    print(f"{connection.vendor}: {args.articles:,} articles of {args.words} words")
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        began = time.perf_counter()
        articles_create(rng, args.articles, args.words)
        print(f"created and indexed in {time.perf_counter() - began:.1f} s")
        with connection.cursor() as cursor:
            # As autovacuum would, and on PostgreSQL it moves the GIN index's pending entries in.
            cursor.execute("VACUUM" if connection.vendor == "sqlite" else "VACUUM ANALYZE")
            cursor.execute("ANALYZE")
        full_text = connection.vendor == "postgresql" or search.sqlite_index_ready(connection)
        print(f"full-text index in use: {'yes' if full_text else 'NO, substring fallback'}\n")
        measure(args.repeats)
        if connection.vendor == "postgresql":
            explain("deportation")
            explain("haiti")
    finally:
        connection.creation.destroy_test_db(database_name, verbosity=0)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=600, help="words in each article's text")
    parser.add_argument("--repeats", type=int, default=30, help="timed runs of each search")
    parser.add_argument("--seed", type=int, default=SEED)
    return parser.parse_args()


def articles_create(rng: random.Random, count: int, words: int) -> None:
    vocabulary = sorted({"".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(8000)})
    weights = [1 / rank for rank in range(1, len(vocabulary) + 1)]  # Zipf, as words in prose are
    now = timezone.now()

    def prose(length: int) -> str:
        chosen = rng.choices(vocabulary, weights, k=length)
        for word, share in PLANTED.items():
            if rng.random() < share:
                chosen[rng.randrange(length)] = word
        return " ".join(chosen)

    for first in range(0, count, 1000):
        articles, editions = [], []
        for number in range(first, min(first + 1000, count)):
            headline, dek, text = prose(8)[:200], prose(25), prose(words)
            published_at = now - datetime.timedelta(minutes=number)
            article = Article(
                headline=headline,
                slug=f"article-{number}",
                status=Article.Status.PUBLISHED,
                live=True,
                published_at=published_at,
            )
            articles.append(article)
            editions.append(
                PublishedArticle(
                    article=article,
                    slug=article.slug,
                    headline=headline,
                    dek=dek,
                    text=text,
                    first_published_at=published_at,
                    published_at=published_at,
                )
            )
        Article.objects.bulk_create(articles)
        PublishedArticle.objects.bulk_create(editions)


def measure(repeats: int) -> None:
    searches = {
        "rare word": "encampment",
        "uncommon word": "deportation",
        "common word": "haiti",
        "two words": "haiti deportation",
        "no match": "aardvark",
    }
    print(f"{'search':<14} {'how':<22} {'found':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for label, terms in searches.items():
        for how, matching, ordering in (
            ("full text, newest", search.articles_matching, ("-published_at", "-pk")),
            ("full text, relevance", search.articles_matching, (f"-{search.RANK}", "-pk")),
            ("substring, newest", search.articles_containing, ("-published_at", "-pk")),
        ):
            found, times = 0, []
            for _ in range(repeats):
                began = time.perf_counter()
                queryset = matching(selectors.published_articles(), terms).order_by(*ordering)
                found = queryset.count()
                list(queryset[:PAGE])
                times.append((time.perf_counter() - began) * 1000)
            p50 = statistics.median(times)
            p95 = statistics.quantiles(times, n=20)[-1]
            print(f"{label:<14} {how:<22} {found:>7,} {p50:>8.1f} {p95:>8.1f}")


def explain(terms: str) -> None:
    queryset = search.articles_matching(selectors.published_articles(), terms)
    sql, params = queryset.order_by("-published_at")[:PAGE].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ANALYZE {sql}", params)
        plan = "\n".join(line for (line,) in cursor.fetchall())
    print(f"\nEXPLAIN ANALYZE of the first page for {terms!r}, newest first:\n{plan}")


if __name__ == "__main__":
    main()
