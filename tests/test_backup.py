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

from articles.backup import backed_up_models
from articles.editorial.revisions import revision_record
from articles.models import Article, Correction, ReviewLogEntry
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
    client, newsroom, media, tmp_path
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
    archive = altered(export(tmp_path), "media/people/daniel-foote.jpg", lambda data: data[:-9])
    empty_newsroom(media)
    counts = rows()

    with pytest.raises(CommandError, match="people/daniel-foote.jpg .* do not match"):
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
