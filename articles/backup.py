"""Backups: the whole newsroom in one archive, and back from it into an empty database.

An archive is a gzip-compressed tar file holding, in this order:

- ``manifest.json``: the format, the database's migration state per app, and for each model
  and media file its count or size and its SHA-256;
- ``data/<app>.<model>.jsonl``: every row of every model in Django's JSON Lines serialization,
  primary keys kept, so that URLs, revision links and the published edition stay true;
- ``media/<path>``: every image under MEDIA_ROOT but the renditions cache, which pages
  rebuild (a file that is not an image an upload accepts is left out, and the export says so).

The manifest comes first, so an import refuses an archive from another schema before reading
the rest. An import trusts an archive no more than an editor's input: a malformed manifest is
refused whole; article bodies, in the working copy and in every revision, go through the
sanitizer a save uses; the published edition is rendered again from the restored published
revisions rather than taken from the archive; and a media file is restored only if it is an
image an upload accepts, named as the image it is.

Content types and permissions are not in it (migrations make them; rows name them by natural
key), nor are sessions (people log in again). Staff accounts are, password hashes included:
restoring one's own database should restore the logins too.
"""

import datetime
import hashlib
import io
import json
import os
import re
import shutil
import tarfile
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.files import File
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Prefetch
from django.utils import timezone
from PIL import Image
from reversion.models import Version

from articles.editorial.roles import ROLES
from articles.models import Article, PublishedArticle
from articles.publishing import selectors
from articles.publishing.edition import edition_refresh
from articles.sanitizing import sanitize_body
from newsroom.caching import invalidate_when_committed
from people.images import ACCEPTED_FORMATS, validate_image

FORMAT = "newsroom-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
REGENERATED_MEDIA = "renditions"
NOT_BACKED_UP = {"contenttypes.contenttype", "auth.permission", "sessions.session"}
# The role groups exist before any import (a migration makes them): these rows are matched by
# their natural key, the name, rather than inserted under the primary key they had.
MATCHED_BY_NAME = {"auth.group"}
ROWS_PER_QUERY = 1000
COPY_BUFFER = 1024 * 1024
NOTHING_IMPORTED = "Nothing was imported."
# The media files an archive may hold: the images an upload accepts, by the extension the web
# server serves them under and the formats that extension may hold (Pillow calls a JPEG with
# several pictures "MPO"). Nothing else is restored: a script, a page or an SVG served from
# this site's own address would run as the site's own.
MEDIA_FORMATS = {
    ".jpg": {"JPEG", "MPO"},
    ".jpeg": {"JPEG", "MPO"},
    ".png": {"PNG"},
    ".webp": {"WEBP"},
    ".gif": {"GIF"},
}
MEDIA_NAMES = ", ".join(MEDIA_FORMATS)
SHA256 = re.compile(r"[0-9a-f]{64}")
LARGEST = 2**63 - 1


class BackupError(Exception):
    """A backup that cannot be written or restored, said so that a person knows what to do."""


@dataclass
class BackupReport:
    counts: dict[str, int] = field(default_factory=dict)
    media_files: int = 0
    media_bytes: int = 0
    media_left_out: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        width = max(len(label) for label in [*self.counts, "media files"])
        rows = [f"  {label:<{width}}  {count}" for label, count in self.counts.items()]
        media = f"{self.media_files} ({self.media_bytes:,} bytes)"
        lines = [*rows, f"  {'media files':<{width}}  {media}"]
        if self.media_left_out:
            names = ", ".join(self.media_left_out[:10]) + (
                ", …" if len(self.media_left_out) > 10 else ""
            )
            lines.append(
                "Left out of the archive, not being images an upload accepts (an import would "
                f"refuse them): {names}."
            )
        return lines


def backed_up_models() -> list:
    """Every model whose rows are content, models others name by natural key first."""
    models = [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.label_lower not in NOT_BACKED_UP
    ]
    return serializers.sort_dependencies([(None, models)], allow_cycles=True)


def migration_state() -> dict[str, list[str]]:
    """The migrations applied to this database, by app."""
    state = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        state.setdefault(app, []).append(name)
    return state


# Export


def newsroom_export(*, archive: Path) -> BackupReport:
    """Write every row and media file into a new .tar.gz archive at ``archive``."""
    archive, media_root = Path(archive), Path(settings.MEDIA_ROOT)
    if not archive.name.endswith((".tar.gz", ".tgz")):
        raise BackupError(f"Name the archive with .tar.gz at the end, not “{archive.name}”.")
    if archive.exists():
        raise BackupError(f"{archive} already exists. Choose a new name, or delete it first.")
    if archive.absolute().is_relative_to(media_root.absolute()):
        raise BackupError("Write the archive outside the media folder, which it backs up.")
    with tempfile.TemporaryDirectory(prefix="newsroom-export-") as scratch:
        migrations, models = _dump_rows(Path(scratch))
        media, left_out = _list_media(media_root)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "made_at": timezone.now().isoformat(),
            "migrations": migrations,
            "models": models,
            "media": media,
        }
        _write_archive(archive, manifest, Path(scratch), media_root)
    return BackupReport(
        counts={entry["model"]: entry["count"] for entry in models},
        media_files=len(media),
        media_bytes=sum(entry["size"] for entry in media),
        media_left_out=left_out,
    )


def _dump_rows(folder: Path) -> tuple[dict, list[dict]]:
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # Every query of the export then sees the database at the same moment.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        migrations = migration_state()
        entries = []
        for model in backed_up_models():
            label = model._meta.label_lower
            path = folder / f"{label}.jsonl"
            rows = _Counted(_rows_of(model))
            with path.open("w", encoding="utf-8") as stream:
                serializers.serialize(
                    "jsonl",
                    rows,
                    stream=stream,
                    use_natural_foreign_keys=True,
                    use_natural_primary_keys=label in MATCHED_BY_NAME,
                    cls=_ExactJSONEncoder,
                )
            entries.append({"model": label, "count": rows.count, **_file_digest(path)})
    return migrations, entries


def _rows_of(model):
    """All rows, with what serializing them reads joined or prefetched, not fetched one by one."""
    many_to_many = [
        Prefetch(field.name, queryset=_with_natural_keys(field.related_model._base_manager.all()))
        for field in model._meta.many_to_many
        if field.remote_field.through._meta.auto_created
    ]
    rows = _with_natural_keys(model._base_manager.order_by("pk"))
    return rows.prefetch_related(*many_to_many).iterator(chunk_size=ROWS_PER_QUERY)


def _with_natural_keys(queryset):
    names = [
        field.name
        for field in queryset.model._meta.concrete_fields
        if field.is_relation and hasattr(field.related_model, "natural_key")
    ]
    # select_related() with no names would join every relation.
    return queryset.select_related(*names) if names else queryset


class _ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, but keeping the microseconds it cuts to milliseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class _Counted:
    def __init__(self, rows):
        self.rows, self.count = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row


def _list_media(media_root: Path) -> tuple[list[dict], list[str]]:
    """Every regular file under MEDIA_ROOT but the renditions cache, with its checksum; and
    the paths of the files left out, which are not images an upload accepts."""
    files, left_out = [], []
    if not media_root.is_dir():
        return files, left_out
    for folder, subfolders, names in os.walk(media_root):
        here = Path(folder)
        if here == media_root:
            subfolders[:] = [name for name in subfolders if name != REGENERATED_MEDIA]
        subfolders.sort()
        for name in sorted(names):
            path = here / name
            if path.is_symlink() or not path.is_file():
                continue
            relative = path.relative_to(media_root).as_posix()
            if _media_problem(path, relative):
                left_out.append(relative)
                continue
            # The modification time names the image's renditions: kept, pages keep their URLs.
            files.append(
                {"path": relative, "mtime_ns": path.stat().st_mtime_ns, **_file_digest(path)}
            )
    return files, left_out


def _media_problem(path: Path, name: str) -> str:
    """Why the file at ``path``, restored as ``name``, is not an image an upload accepts, or "".

    The file is checked as an upload is (people.images: its format and size from its header),
    and its name must say that format, which is how the web server will serve it. It is kept
    byte for byte, not re-encoded: an export's images were cleaned when they were uploaded, and
    a restore gives them back unchanged, under the names and times their renditions are keyed by.
    """
    formats = MEDIA_FORMATS.get(PurePosixPath(name).suffix.lower())
    if formats is None:
        return f"its name does not end in {MEDIA_NAMES}"
    try:
        with path.open("rb") as stream, File(stream, name=name) as file:
            validate_image(file)
            with Image.open(file, formats=ACCEPTED_FORMATS) as image:
                found = image.format
    except ValidationError as problem:
        return " ".join(problem.messages)
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        return "it is not an image that can be read"
    if found not in formats:
        return f"it holds a {found} image, which its name does not say"
    return ""


def _file_digest(path: Path) -> dict:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as stream:
        while chunk := stream.read(COPY_BUFFER):
            digest.update(chunk)
            size += len(chunk)
    return {"size": size, "sha256": digest.hexdigest()}


def _write_archive(archive: Path, manifest: dict, data_folder: Path, media_root: Path) -> None:
    # Written under a temporary name, readable by its owner only (it holds password hashes and
    # drafts), and renamed when complete: a failed export leaves no archive that looks whole.
    descriptor, partial = tempfile.mkstemp(dir=archive.parent, prefix=f".{archive.name}.")
    try:
        with (
            os.fdopen(descriptor, "wb") as raw,
            tarfile.open(
                fileobj=raw, mode="w:gz", format=tarfile.PAX_FORMAT, compresslevel=6
            ) as tar,
        ):
            content = json.dumps(manifest, indent=1).encode()
            _add(tar, MANIFEST, io.BytesIO(content), len(content))
            for entry in manifest["models"]:
                with (data_folder / f"{entry['model']}.jsonl").open("rb") as stream:
                    _add_checked(tar, f"data/{entry['model']}.jsonl", stream, entry)
            for entry in manifest["media"]:
                with (media_root / entry["path"]).open("rb") as stream:
                    _add_checked(tar, f"media/{entry['path']}", stream, entry)
        os.replace(partial, archive)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def _add_checked(tar, name: str, stream, entry: dict) -> None:
    """Add a file whose size and checksum the manifest already gives, checking it still has them."""
    hashing = _Hashing(stream)
    try:
        _add(tar, name, hashing, entry["size"], entry.get("mtime_ns"))
        unchanged = hashing.digest.hexdigest() == entry["sha256"]
    except OSError:  # tarfile's complaint about a file that shrank
        unchanged = False
    if not unchanged:
        raise BackupError(f"{name} changed while it was being backed up. Run the export again.")


def _add(tar, name: str, stream, size: int, mtime_ns: int | None = None) -> None:
    member = tarfile.TarInfo(name)
    member.size, member.mode = size, 0o644
    member.mtime = time.time() if mtime_ns is None else mtime_ns / 1e9
    tar.addfile(member, stream)


class _Hashing:
    """A file read through, its SHA-256 computed on the way."""

    def __init__(self, stream):
        self.stream, self.digest = stream, hashlib.sha256()

    def read(self, size=-1):
        chunk = self.stream.read(size)
        self.digest.update(chunk)
        return chunk


# Import


def newsroom_import(*, archive: Path) -> BackupReport:
    """Restore an archive into this empty database and media folder: all of it, or nothing."""
    archive, media_root = Path(archive), Path(settings.MEDIA_ROOT)
    if not archive.is_file():
        raise BackupError(f"There is no file {archive}.")
    with tempfile.TemporaryDirectory(prefix="newsroom-import-") as scratch:
        try:
            with tarfile.open(archive, mode="r|gz") as tar:
                manifest = _read_manifest(tar, archive)
                _check_migrations(manifest["migrations"])
                _check_models(manifest["models"])
                _check_empty()
                targets = _check_media_targets(manifest["media"], media_root)
                staged = _stage(tar, manifest, Path(scratch))
        except (tarfile.TarError, EOFError, zlib.error):
            raise BackupError(
                f"{archive} could not be read: it is not a .tar.gz archive, or it is damaged or "
                f"incomplete. {NOTHING_IMPORTED}"
            ) from None
        counts = _load(manifest, staged, targets)
    return BackupReport(
        counts=counts,
        media_files=len(manifest["media"]),
        media_bytes=sum(entry["size"] for entry in manifest["media"]),
    )


def _read_manifest(tar, archive: Path) -> dict:
    member = tar.next()
    if member is None or member.name != MANIFEST or not member.isfile():
        raise BackupError(f"{archive} is not a Newsroom backup: it does not begin with a manifest.")
    try:
        manifest = json.load(tar.extractfile(member))
    except (ValueError, RecursionError):
        raise BackupError(f"The manifest of {archive} is not JSON. {NOTHING_IMPORTED}") from None
    if not isinstance(manifest, dict):
        raise BackupError(f"The manifest of {archive} is not a JSON object. {NOTHING_IMPORTED}")
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{archive} is not a backup this version of Newsroom can read "
            f"(format {manifest.get('format')} {manifest.get('format_version')})."
        )
    problems = _manifest_problems(manifest)
    if problems:
        raise BackupError(
            f"The manifest of {archive} is not one an export writes: {'; '.join(problems)}. The "
            f"archive was altered or damaged. {NOTHING_IMPORTED}"
        )
    return manifest


def _manifest_problems(manifest: dict) -> list[str]:
    """What is wrong with the manifest's shape, before anything reads an entry of it."""
    problems = []
    migrations = manifest.get("migrations")
    if not isinstance(migrations, dict) or not all(
        isinstance(names, list) and all(isinstance(name, str) for name in names)
        for names in migrations.values()
    ):
        problems.append("its migrations are not lists of names by app")
    fields = {
        "models": {"model": str, "count": int, "size": int, "sha256": str},
        "media": {"path": str, "mtime_ns": int, "size": int, "sha256": str},
    }
    for part, expected in fields.items():
        entries = manifest.get(part)
        if not isinstance(entries, list) or not all(
            isinstance(entry, dict) and _entry_is(entry, expected) for entry in entries
        ):
            problems.append(f"its {part} are not entries of {', '.join(expected)}")
            continue
        key = next(iter(expected))
        names = [entry[key] for entry in entries]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            problems.append(f"its {part} list {', '.join(repeated[:5])} more than once")
    return problems


def _entry_is(entry: dict, expected: dict) -> bool:
    for name, kind in expected.items():
        value = entry.get(name)
        if not isinstance(value, kind) or isinstance(value, bool):
            return False
        if kind is int and not 0 <= value <= LARGEST:
            return False
    return bool(SHA256.fullmatch(entry["sha256"]))


def _check_models(entries: list[dict]) -> None:
    """Refuse rows of a model an export does not write: sessions, permissions, unknown ones."""
    known = {model._meta.label_lower for model in backed_up_models()}
    unknown = sorted(entry["model"] for entry in entries if entry["model"] not in known)
    if unknown:
        names = ", ".join(f"“{name}”" for name in unknown[:5])
        raise BackupError(
            f"The archive holds rows of {names}, which no Newsroom backup holds: it was altered. "
            f"{NOTHING_IMPORTED}"
        )


def _check_migrations(archived: dict[str, list[str]]) -> None:
    here = migration_state()
    differences = []
    for app in sorted(archived.keys() | here.keys()):
        theirs, ours = set(archived.get(app, [])), set(here.get(app, []))
        if theirs - ours:
            names = ", ".join(sorted(theirs - ours))
            differences.append(f"{app} {names} applied where it was made but not here")
        if ours - theirs:
            names = ", ".join(sorted(ours - theirs))
            differences.append(f"{app} {names} applied here but not where it was made")
    if differences:
        raise BackupError(
            "This archive comes from a database at another migration state: "
            + "; ".join(differences)
            + ". Import it with the version of Newsroom that made it, into a database migrated "
            f"to the same state; upgrade afterwards. {NOTHING_IMPORTED}"
        )


def _check_empty() -> None:
    found = []
    for model in backed_up_models():
        rows = model._base_manager.all()
        if model._meta.label_lower == "auth.group":
            rows = rows.exclude(name__in=ROLES)
        if count := rows.count():
            found.append(f"{model._meta.label_lower}: {count}")
    if found:
        raise BackupError(
            f"This database already holds content ({', '.join(found)}). An archive is restored "
            "into an empty database only: create a new database, run `python manage.py "
            f"migrate`, and import into it. {NOTHING_IMPORTED}"
        )


def _check_media_targets(media: list[dict], media_root: Path) -> dict[str, Path]:
    targets = {}
    for entry in media:
        name = entry["path"]
        relative = PurePosixPath(name)
        # "", "." and "a/./b" are not written as they are; "a/../b" and "/a" lead elsewhere.
        if (
            not relative.parts
            or relative.is_absolute()
            or relative.as_posix() != name
            or ".." in relative.parts
            or "\x00" in name
            or relative.parts[0] == REGENERATED_MEDIA
        ):
            raise BackupError(
                f"The archive lists a media file at “{_shown(name)}”, which is not a path inside "
                f"the media folder it may restore into: it was altered. {NOTHING_IMPORTED}"
            )
        if relative.suffix.lower() not in MEDIA_FORMATS:
            raise BackupError(
                f"The archive holds the media file “{_shown(name)}”, which is not an image an "
                f"upload accepts (its name does not end in {MEDIA_NAMES}): it was altered, or "
                f"the file was never uploaded here. {NOTHING_IMPORTED}"
            )
        targets[name] = media_root.joinpath(*relative.parts)
    folders = {parent.as_posix() for name in targets for parent in PurePosixPath(name).parents}
    if clash := sorted(folders & targets.keys()):
        raise BackupError(
            f"The archive lists “{_shown(clash[0])}” both as a media file and as a folder: it "
            f"was altered. {NOTHING_IMPORTED}"
        )
    taken = [name for name, target in targets.items() if os.path.lexists(target)]
    if taken:
        raise BackupError(
            f"The media folder {media_root} already holds files the archive restores "
            f"({', '.join(taken[:5])}{', …' if len(taken) > 5 else ''}). Import into an empty "
            f"media folder. {NOTHING_IMPORTED}"
        )
    return targets


def _stage(tar, manifest: dict, scratch: Path) -> dict[str, Path]:
    """Copy every member out of the archive, checking each against its size and checksum."""
    expected = {f"data/{entry['model']}.jsonl": entry for entry in manifest["models"]}
    expected |= {f"media/{entry['path']}": entry for entry in manifest["media"]}
    staged = {}
    while (member := tar.next()) is not None:
        entry = expected.get(member.name)
        if entry is None or member.name in staged or not member.isfile():
            raise BackupError(
                f"The archive holds {member.name}, which its manifest does not list: it was "
                f"altered. {NOTHING_IMPORTED}"
            )
        path = scratch / str(len(staged))
        with path.open("wb") as copy:
            hashing = _Hashing(tar.extractfile(member))
            shutil.copyfileobj(hashing, copy, COPY_BUFFER)
        if member.size != entry["size"] or hashing.digest.hexdigest() != entry["sha256"]:
            what = entry.get("path") and f"The media file {entry['path']}"
            raise BackupError(
                f"{what or 'The rows of ' + entry['model']} in the archive do not match their "
                f"checksum: the archive is damaged or was altered. {NOTHING_IMPORTED}"
            )
        if member.name.startswith("media/") and (problem := _media_problem(path, entry["path"])):
            raise BackupError(
                f"The archive holds the media file “{entry['path']}”, which is not an image an "
                f"upload accepts ({problem}): it was altered, or the file was never uploaded "
                f"here. {NOTHING_IMPORTED}"
            )
        staged[member.name] = path
    missing = expected.keys() - staged.keys()
    if missing:
        raise BackupError(
            f"The archive is incomplete: it lacks {', '.join(sorted(missing)[:5])}. "
            f"{NOTHING_IMPORTED}"
        )
    return staged


def _load(manifest: dict, staged: dict[str, Path], targets: dict[str, Path]) -> dict[str, int]:
    """Insert every row and put every media file in place, in one transaction."""
    models = [apps.get_model(entry["model"]) for entry in manifest["models"]]
    placed = []
    try:
        with transaction.atomic():
            counts = {
                entry["model"]: _load_rows(entry, staged[f"data/{entry['model']}.jsonl"])
                for entry in manifest["models"]
            }
            _check_references(models)
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(statement)
            _render_edition_again()
            for entry in manifest["media"]:
                target = targets[entry["path"]]
                placed.append(target)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(staged[f"media/{entry['path']}"], target)
                os.utime(target, ns=(entry["mtime_ns"], entry["mtime_ns"]))
            invalidate_when_committed()
    except BaseException:
        for target in placed:
            target.unlink(missing_ok=True)
        raise
    return counts


def _load_rows(entry: dict, path: Path) -> int:
    """Insert the rows as they were: raw saves, which bypass each model's save().

    A model's save() would sanitize, count versions, refuse to re-save the append-only review
    log, or stamp new times; Django's deserialized rows are written by save_base(raw=True).
    """
    count = 0
    insert = entry["model"] not in MATCHED_BY_NAME
    with path.open(encoding="utf-8") as stream:
        try:
            for row in serializers.deserialize("jsonl", stream):
                if row.object._meta.label_lower != entry["model"]:
                    raise BackupError(
                        f"The rows of {entry['model']} in the archive hold a row of "
                        f"{row.object._meta.label_lower}: it was altered. {NOTHING_IMPORTED}"
                    )
                _distrust(row.object)
                row.save(force_insert=insert)
                count += 1
        # ValueError: text a database cannot store (a lone surrogate, a null character).
        except (DeserializationError, DatabaseError, ValueError) as problem:
            raise BackupError(
                f"The rows of {entry['model']} could not be restored: {problem}. {NOTHING_IMPORTED}"
            ) from None
    if count != entry["count"]:
        raise BackupError(
            f"The archive holds {count} rows of {entry['model']}, its manifest says "
            f"{entry['count']}: it was altered. {NOTHING_IMPORTED}"
        )
    return count


def _distrust(row) -> None:
    """Give a row's HTML the treatment a save gives it: the body sanitizer, on the working copy
    and on every revision, which the revision pages and the published edition render."""
    if isinstance(row, Article):
        row.body = sanitize_body(row.body)
    elif isinstance(row, Version):
        _sanitize_revision(row)


def _sanitize_revision(version: Version) -> None:
    if version.format != "json":
        raise BackupError(
            f"The archive holds a revision (version {version.pk}) kept as {version.format}, "
            f"which Newsroom does not write: it was altered. {NOTHING_IMPORTED}"
        )
    try:
        objects = json.loads(version.serialized_data)
    except (ValueError, RecursionError):
        objects = None
    if not isinstance(objects, list) or not all(isinstance(o, dict) for o in objects):
        raise BackupError(
            f"The archive holds a revision (version {version.pk}) whose data cannot be read: it "
            f"was altered or damaged. {NOTHING_IMPORTED}"
        )
    changed = False
    for kept in objects:
        fields = kept.get("fields")
        if str(kept.get("model")).lower() != "articles.article" or not isinstance(fields, dict):
            continue
        body = fields.get("body", "")
        if not isinstance(body, str):
            raise BackupError(
                f"The archive holds a revision (version {version.pk}) whose body is not text: "
                f"it was altered. {NOTHING_IMPORTED}"
            )
        if (cleaned := sanitize_body(body)) != body:
            fields["body"], changed = cleaned, True
    if changed:
        version.serialized_data = json.dumps(objects, cls=DjangoJSONEncoder, ensure_ascii=False)


def _render_edition_again() -> None:
    """Write what readers see from the restored published revisions, not from the archive.

        The edition's rows hold rendered HTML; rendering it again from the revisions (whose bodies
        were sanitized) gives the same bytes for an archive an export wrote, and nothing else for
        one that was altered. An edition whose published revision was deleted cannot be rendered
        again: its body goes through the sanitizer, which keeps its words and links, and its page is
    read back from its rows.
    """
    try:
        edition_refresh(articles=Article.objects.all())
    # What a revision's data that no save wrote can make rendering raise.
    except (
        ObjectDoesNotExist,
        ValidationError,
        DeserializationError,
        DatabaseError,
        ValueError,
        KeyError,
        TypeError,
    ) as problem:
        raise BackupError(
            f"The published stories could not be rendered again from their revisions ({problem})"
            f": the archive was altered or damaged. {NOTHING_IMPORTED}"
        ) from None
    orphans = PublishedArticle.objects.filter(article__published_revision__isnull=True)
    for edition in orphans:
        # Its page is read back from its rows, not taken from the archive either.
        edition.body_html = sanitize_body(edition.body_html)
        edition.save(update_fields=["body_html"])
        edition.page = selectors.story_from_rows(edition)
        edition.save(update_fields=["page"])


def _shown(name: str) -> str:
    """Part of a path from the archive, safe to print in a message."""
    name = name.encode("utf-8", "replace").decode("utf-8").replace("\x00", "?")
    return name if len(name) <= 80 else name[:79] + "…"


def _check_references(models) -> None:
    tables = [model._meta.db_table for model in models]
    tables += [
        field.remote_field.through._meta.db_table
        for model in models
        for field in model._meta.local_many_to_many
    ]
    try:
        connection.check_constraints(table_names=tables)
    except IntegrityError as problem:
        raise BackupError(
            f"The archive's rows refer to rows it does not hold ({problem}). {NOTHING_IMPORTED}"
        ) from None
