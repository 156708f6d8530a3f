import hashlib
import io
import json
import re
import shutil
import tarfile

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from PIL import Image
from reversion.models import Version

from articles.backup import backed_up_models
from articles.editorial.revisions import revision_record
from articles.models import Article, Correction, PublishedArticle, ReviewLogEntry
from people.models import Person
from tests.conftest import FOOTE_SLUG, publish_again

ARTICLE_URL = f"/articles/{FOOTE_SLUG}/"
PUBLIC_PAGES = [
    "/",
    ARTICLE_URL,
    f"{ARTICLE_URL}annotations.jsonld",
    "/people/daniel-foote/",
    "/organizations/us-department-of-state/",
    "/corrections/",
    "/feeds/latest.rss",
    "/sitemap.xml",
    "/api/articles/",
]
PASSWORD = "correct horse battery"


def jpeg(size=(1000, 600), colour=(200, 40, 40)) -> bytes:
    content = io.BytesIO()
    Image.new("RGB", size, colour).save(content, format="JPEG")
    return content.getvalue()


@pytest.fixture(autouse=True)
def content_types_forgotten():
    """Flushing makes content types anew, under other ids, and the test's rollback brings the old
    ones back: the ids the process caches of either must not outlive the test."""
    yield
    ContentType.objects.clear_cache()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def newsroom(foote_story, make_staff, media) -> Article:
    """The Foote story as a working newsroom holds it: images, a correction, unpublished edits."""
    publisher = make_staff("Publisher")
    foote = Person.objects.get(slug="daniel-foote")
    foote.photo.save("daniel-foote.jpg", ContentFile(jpeg((400, 500))))
    article = Article.objects.get(pk=foote_story.pk)
    article.lead_image_alt = "The border bridge at Del Rio"
    article.lead_image.save("del-rio.jpg", ContentFile(jpeg()))
    revision_record(article=article, user=publisher, comment="Lead image.")
    article = publish_again(article)
    Correction.objects.create(
        article=article,
        text="An earlier version misstated the date of the resignation letter.",
        created_by=publisher,
    )
    article.headline = "Haiti envoy quits over “inhumane” deportations"
    article.updated_by = publisher
    article.save()
    revision_record(article=article, user=publisher, comment="A shorter headline.")
    return article


def public_pages(client) -> dict[str, bytes]:
    cache.clear()
    pages = {}
    for url in PUBLIC_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content
    return pages


def rows() -> dict[str, int]:
    counts = {}
    for model in backed_up_models():
        counts[model._meta.label_lower] = model._base_manager.count()
        for field in model._meta.local_many_to_many:
            counts[field.remote_field.through._meta.label_lower] = (
                field.remote_field.through.objects.count()
            )
    return counts


def media_files(media) -> dict[str, tuple[bytes, int]]:
    return {
        path.relative_to(media).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(media.rglob("*"))
        if path.is_file()
    }


def export(tmp_path) -> str:
    archive = tmp_path / "newsroom.tar.gz"
    call_command("export_newsroom", str(archive), stdout=io.StringIO())
    return str(archive)


def restore(archive) -> str:
    output = io.StringIO()
    call_command("import_newsroom", archive, stdout=output)
    return output.getvalue()


def empty_newsroom(media):
    """What a new server starts from: a migrated database with no content, no media files."""
    # PostgreSQL truncates no table while the test's transaction has foreign key checks pending.
    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media)
    cache.clear()


def altered(archive, name, change, *, resealed=False) -> str:
    """A copy of the archive in which the member ``name`` went through ``change``.

    Resealed, its manifest gives the new size, checksum and row count, as a forger's would.
    """
    with tarfile.open(archive, "r:gz") as tar:
        contents = {member.name: tar.extractfile(member).read() for member in tar.getmembers()}
    contents[name] = change(contents[name])
    if resealed:
        manifest = json.loads(contents["manifest.json"])
        for entry in manifest["models"]:
            if name == f"data/{entry['model']}.jsonl":
                entry["size"], entry["count"] = len(contents[name]), contents[name].count(b"\n")
                entry["sha256"] = hashlib.sha256(contents[name]).hexdigest()
        contents["manifest.json"] = json.dumps(manifest).encode()
    copy = archive.replace(".tar.gz", "-altered.tar.gz")
    with tarfile.open(copy, "w:gz") as tar:
        for member_name, content in contents.items():
            member = tarfile.TarInfo(member_name)
            member.size = len(content)
            tar.addfile(member, io.BytesIO(content))
    return copy


def test_a_restored_backup_serves_every_public_page_byte_for_byte(
    client, newsroom, media, tmp_path
):
    pages = public_pages(client)
    assert b"misstated the date" in pages["/corrections/"]
    assert b"renditions/people/daniel-foote" in pages["/people/daniel-foote/"]
    assert b"renditions/articles/" in pages[ARTICLE_URL]
    counts, files = rows(), media_files(media)
    archive = export(tmp_path)

    empty_newsroom(media)
    assert not Article.objects.exists() and not media.exists()
    output = restore(archive)

    assert public_pages(client) == pages
    assert rows() == counts
    # The renditions are made again, under the same names, from the same files.
    assert {
        path: file for path, file in media_files(media).items() if "renditions/" not in path
    } == {path: file for path, file in files.items() if "renditions/" not in path}
    assert re.search(r"articles\.reviewlogentry +6\n", output)
    assert re.search(r"media files +2 ", output)


def test_a_restored_backup_keeps_logins_revisions_and_unpublished_changes(
    client, newsroom, media, tmp_path
):
    archive = export(tmp_path)
    empty_newsroom(media)
    restore(archive)

    article = Article.objects.get(slug=FOOTE_SLUG)
    assert article.has_unpublished_changes and article.headline == newsroom.headline
    assert article.published_revision_id == newsroom.published_revision_id
    assert article.version == newsroom.version and article.updated_at == newsroom.updated_at
    assert client.login(username="publisher", password=PASSWORD)
    assert User.objects.get(username="publisher").groups.get().name == "Publisher"
    revisions = client.get(f"/admin/articles/article/{article.pk}/revisions/")
    assert "A shorter headline." in revisions.content.decode()
    # New rows take keys after the restored ones.
    restored = Correction.objects.get()
    assert Correction.objects.create(article=article, text="A second one.").pk > restored.pk


def test_the_archive_holds_every_row_and_media_file_but_not_the_renditions(
    production_password_hashing, client, newsroom, media, tmp_path
):
    client.get("/people/daniel-foote/")  # makes renditions
    with tarfile.open(export(tmp_path), "r:gz") as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
        users = tar.extractfile("data/auth.user.jsonl").read().decode()

    assert names[0] == "manifest.json"
    assert not any("renditions" in name for name in names)
    assert [entry["path"] for entry in manifest["media"]] == sorted(
        path for path in media_files(media) if not path.startswith("renditions/")
    )
    counts = {entry["model"]: entry["count"] for entry in manifest["models"]}
    assert counts["articles.article"] == 1 and counts["articles.correction"] == 1
    assert counts["reversion.version"] > 26 and counts["articles.reviewlogentry"] == 6
    assert "contenttypes.contenttype" not in counts and "sessions.session" not in counts
    assert "0001_initial" in manifest["migrations"]["articles"]
    assert "pbkdf2_sha256$" in users


def test_import_into_a_database_with_content_is_refused_and_changes_nothing(
    newsroom, media, tmp_path
):
    archive = export(tmp_path)
    counts, files = rows(), media_files(media)

    with pytest.raises(CommandError, match="already holds content.*articles.article: 1"):
        restore(archive)
    assert rows() == counts and media_files(media) == files


def test_a_tampered_media_file_is_refused_and_nothing_is_imported(newsroom, media, tmp_path):
    photo = Person.objects.get(slug="daniel-foote").photo.name
    archive = altered(export(tmp_path), f"media/{photo}", lambda data: data[:-9])
    empty_newsroom(media)
    counts = rows()

    with pytest.raises(CommandError, match=f"{re.escape(photo)} .* do not match"):
        restore(archive)
    assert rows() == counts and not Person.objects.exists()
    assert not media.exists() or not media_files(media)


def test_an_archive_from_another_migration_state_is_refused(newsroom, media, tmp_path):
    latest = MigrationRecorder.Migration.objects.filter(app="articles").latest("id").name

    def older_schema(content):
        manifest = json.loads(content)
        manifest["migrations"]["articles"].remove(latest)
        return json.dumps(manifest).encode()

    archive = altered(export(tmp_path), "manifest.json", older_schema)
    empty_newsroom(media)

    with pytest.raises(CommandError, match=f"articles {latest} applied here but not"):
        restore(archive)
    assert not ReviewLogEntry.objects.exists() and not media.exists()


def test_an_archive_whose_rows_do_not_fit_together_is_refused_whole(newsroom, media, tmp_path):
    archive = altered(export(tmp_path), "data/people.person.jsonl", lambda _: b"", resealed=True)
    empty_newsroom(media)
    counts = rows()

    with pytest.raises(CommandError, match="refer to rows it does not hold"):
        restore(archive)
    assert rows() == counts and not Article.objects.exists()
    assert not media.exists() or not media_files(media)


# An archive is input like any other: a forged one restores nothing it could not have saved.

SCRIPTED = (
    '<p>Read more<script src="/media/people/x.js"></script></p>'
    '<iframe src="/media/people/x.html"></iframe><p onclick="alert(1)">Click</p>'
)


def forged(archive, change) -> str:
    """A copy of the archive changed by ``change(contents, manifest)``, then resealed as a
    forger would: every listed file's size and checksum, every row count, made to match."""
    with tarfile.open(archive, "r:gz") as tar:
        contents = {member.name: tar.extractfile(member).read() for member in tar.getmembers()}
    manifest = json.loads(contents.pop("manifest.json"))
    change(contents, manifest)
    for entry in manifest["models"]:
        if (content := contents.get(f"data/{entry['model']}.jsonl")) is not None:
            entry["size"], entry["count"] = len(content), content.count(b"\n")
            entry["sha256"] = hashlib.sha256(content).hexdigest()
    for entry in manifest["media"] if isinstance(manifest["media"], list) else []:
        if (content := contents.get(f"media/{entry['path']}")) is not None:
            entry["size"], entry["sha256"] = len(content), hashlib.sha256(content).hexdigest()
    copy = archive.replace(".tar.gz", "-forged.tar.gz")
    with tarfile.open(copy, "w:gz") as tar:
        for name, content in [("manifest.json", json.dumps(manifest).encode()), *contents.items()]:
            member = tarfile.TarInfo(name)
            member.size = len(content)
            tar.addfile(member, io.BytesIO(content))
    return copy


def edit_rows(contents, model, change):
    name = f"data/{model}.jsonl"
    rows = [json.loads(line) for line in contents[name].splitlines()]
    for row in rows:
        change(row)
    contents[name] = b"".join(json.dumps(row).encode() + b"\n" for row in rows)


def with_script(contents, manifest):
    """Script in the article's working body, in every revision of it, and in the edition."""

    def article(row):
        row["fields"]["body"] += SCRIPTED

    def version(row):
        kept = json.loads(row["fields"]["serialized_data"])
        if kept[0]["model"] == "articles.article":
            kept[0]["fields"]["body"] += SCRIPTED
            row["fields"]["serialized_data"] = json.dumps(kept)

    def edition(row):
        row["fields"]["body_html"] += '<script src="/media/people/x.js"></script>'

    edit_rows(contents, "articles.article", article)
    edit_rows(contents, "reversion.version", version)
    edit_rows(contents, "articles.publishedarticle", edition)


def with_media(path, content):
    def change(contents, manifest):
        contents[f"media/{path}"] = content
        manifest["media"].append({"path": path, "mtime_ns": 10**18, "size": 0, "sha256": "0" * 64})

    return change


def refused_whole(archive, media, message):
    counts = rows()
    with pytest.raises(CommandError, match=message):
        restore(archive)
    assert rows() == counts and not Article.objects.exists()
    assert not media.exists() or not media_files(media)


def test_script_in_an_imported_body_is_stored_sanitized_and_never_served(
    client, newsroom, media, tmp_path
):
    archive = forged(export(tmp_path), with_script)
    empty_newsroom(media)
    restore(archive)

    article = Article.objects.get(slug=FOOTE_SLUG)
    edition = PublishedArticle.objects.get(article=article)
    bodies = [article.body, edition.body_html]
    bodies += [
        version.field_dict["body"]
        for version in Version.objects.get_for_model(Article).order_by("pk")
    ]
    for body in bodies:
        assert "Read more" in body
        assert "<script" not in body and "<iframe" not in body and "onclick" not in body
    page = client.get(ARTICLE_URL).content.decode()
    assert "<p>Read more</p>" in page and "/media/people/x" not in page
    assert client.login(username="publisher", password=PASSWORD)
    url = f"/admin/articles/article/{article.pk}/revisions/{article.published_revision_id}/"
    revision = client.get(url).content.decode()
    assert "Read more" in revision and "/media/people/x" not in revision


def test_an_edition_without_its_published_revision_is_sanitized_as_a_body_is(
    client, newsroom, media, tmp_path
):
    def change(contents, manifest):
        def article(row):
            row["fields"]["published_revision"] = None

        def edition(row):
            row["fields"]["body_html"] += SCRIPTED

        edit_rows(contents, "articles.article", article)
        edit_rows(contents, "articles.publishedarticle", edition)

    archive = forged(export(tmp_path), change)
    empty_newsroom(media)
    restore(archive)

    body = PublishedArticle.objects.get().body_html
    assert "inhumane" in body and "Read more" in body
    assert "<script" not in body and "<iframe" not in body and "onclick" not in body
    page = client.get(ARTICLE_URL).content.decode()
    assert "<p>Read more</p>" in page and "/media/people/x" not in page


@pytest.mark.parametrize(
    "path, content",
    [
        ("people/x.js", b"alert(document.cookie)"),
        ("people/x.html", b"<script>alert(1)</script>"),
        ("people/x.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("people/X.SVG", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("people/no-extension", jpeg((10, 10))),
    ],
)
def test_a_media_file_an_upload_would_refuse_is_refused_and_nothing_is_imported(
    newsroom, media, tmp_path, path, content
):
    archive = forged(export(tmp_path), with_media(path, content))
    empty_newsroom(media)
    refused_whole(archive, media, f"“{re.escape(path)}”, which is not an image an upload accepts")


@pytest.mark.parametrize(
    "path, content, reason",
    [
        ("people/x.jpg", b"alert(document.cookie)", "Upload a JPEG, PNG, WebP or GIF image"),
        ("people/x.png", jpeg((10, 10)), "it holds a JPEG image, which its name does not say"),
        ("people/x.gif", b"GIF89a/*\x01\x00\x01\x00*/=alert(1)//", "Upload a JPEG"),
    ],
)
def test_a_media_file_that_is_not_the_image_its_name_says_is_refused(
    newsroom, media, tmp_path, path, content, reason
):
    archive = forged(export(tmp_path), with_media(path, content))
    empty_newsroom(media)
    refused_whole(archive, media, f"{re.escape(path)}.*not an image an upload accepts.*{reason}")


@pytest.mark.parametrize(
    "path", [".", "..", "", "/etc/cron.d/x.jpg", "people/../../x.jpg", "people/./x.jpg", "a//b.jpg"]
)
def test_a_media_path_outside_the_media_folder_is_refused_with_a_message(
    newsroom, media, tmp_path, path
):
    archive = forged(export(tmp_path), with_media(path, jpeg((10, 10))))
    empty_newsroom(media)
    refused_whole(archive, media, "which is not a path inside the media folder")


def test_a_media_file_also_listed_as_a_folder_is_refused(newsroom, media, tmp_path):
    def change(contents, manifest):
        with_media("people/x.jpg", jpeg((10, 10)))(contents, manifest)
        with_media("people/x.jpg/y.jpg", jpeg((10, 10)))(contents, manifest)

    archive = forged(export(tmp_path), change)
    empty_newsroom(media)
    refused_whole(archive, media, "“people/x.jpg” both as a media file and as a folder")


def unknown_model(contents, manifest):
    contents["data/sessions.session.jsonl"] = b""
    manifest["models"].append({"model": "sessions.session", "count": 0, "size": 0})
    manifest["models"][-1]["sha256"] = "0" * 64


def missing_media_file(contents, manifest):
    del contents[f"media/{manifest['media'][0]['path']}"]


def another_models_row(contents, manifest):
    name = "data/articles.topic.jsonl"
    row = {"model": "auth.permission", "pk": 999, "fields": {"name": "x", "codename": "x"}}
    contents[name] += json.dumps(row).encode() + b"\n"


def no_media_list(contents, manifest):
    manifest["media"] = {"people/x.jpg": 1}


def repeated_media(contents, manifest):
    manifest["media"].append(dict(manifest["media"][0]))


def bad_time(contents, manifest):
    manifest["media"][0]["mtime_ns"] = 10**40


@pytest.mark.parametrize(
    "change, message",
    [
        (unknown_model, "rows of “sessions.session”, which no Newsroom backup holds"),
        (missing_media_file, "The archive is incomplete: it lacks media/"),
        (another_models_row, "The rows of articles.topic in the archive hold a row of auth.perm"),
        (no_media_list, "not one an export writes: its media are not entries of path"),
        (repeated_media, "not one an export writes: its media list .* more than once"),
        (bad_time, "not one an export writes: its media are not entries"),
    ],
)
def test_a_malformed_archive_is_refused_with_one_message_and_nothing_written(
    newsroom, media, tmp_path, change, message
):
    archive = forged(export(tmp_path), change)
    empty_newsroom(media)
    refused_whole(archive, media, message)


def test_export_leaves_out_a_file_an_import_would_refuse_and_says_so(newsroom, media, tmp_path):
    (media / "notes.html").write_text("<script>alert(1)</script>")
    archive = tmp_path / "newsroom.tar.gz"
    output = io.StringIO()
    call_command("export_newsroom", str(archive), stdout=output)
    assert "Left out" in output.getvalue() and "notes.html" in output.getvalue()
    empty_newsroom(media)
    restore(str(archive))
    assert not (media / "notes.html").exists()
    assert Article.objects.filter(slug=FOOTE_SLUG).exists()
