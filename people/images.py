"""Images editors upload and readers see: uploads made safe, and responsive renditions of them.

An upload is checked from its header alone (format, bytes, pixels) before anything is decoded,
so a decompression bomb is refused with a sentence instead of exhausting memory. An accepted
image is then decoded, turned upright and re-encoded without its metadata: a photo a source
took on a phone must not publish where they were standing.

Renditions are the smaller WebP and JPEG copies a page offers the browser to choose from. They
are made once per version of the stored file, under MEDIA_ROOT/renditions/, and reused after.
"""

import hashlib
import io
import json
import logging
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from django import forms
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.utils.text import slugify
from PIL import ExifTags, Image, ImageCms, ImageOps

logger = logging.getLogger(__name__)

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
MAX_UPLOAD_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 40_000_000
RENDITION_WIDTHS = (480, 800, 1200, 1600)

NOT_AN_IMAGE = "Upload a JPEG, PNG, WebP or GIF image."
DAMAGED = (
    "This image could not be read: it may be damaged or incomplete. "
    "Export it again and upload the new file."
)

# A file of several frames keeps its first (pages show a still): an animated GIF, WebP or PNG,
# or a multi-picture JPEG (MPO: a phone's photo with a depth map or a stereo pair, which Pillow
# opens as "MPO" although it is a JPEG), stored as a plain JPEG. A GIF's frame is stored as a
# PNG, without GIF's 256-colour limit.
_STORED_FORMAT = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "GIF": "PNG"}
_EXTENSION = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
_STORED_OPTIONS = {
    "JPEG": {"quality": 90, "optimize": True, "progressive": True},
    "PNG": {},
    "WEBP": {"quality": 90, "method": 4},
}
_RENDITION_OPTIONS = {
    "JPEG": {"quality": 82, "optimize": True, "progressive": True},
    "WEBP": {"quality": 80, "method": 4},
}
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_ROTATED_ORIENTATIONS = {5, 6, 7, 8}
# What Pillow raises on a file it cannot decode.
_UNREADABLE = (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError)


# Uploads


def validate_image(file) -> None:
    """Refuse a new upload that is not a JPEG, PNG, WebP or GIF, or is too large to accept.

    Only the header is read. A file already in storage passed this when it was uploaded, and is
    not read again on every save of its record.
    """
    if isinstance(file, FieldFile) and file._committed:
        return
    with _opened(file):
        pass


def clean_image(file) -> ContentFile:
    """The accepted upload re-encoded: upright, in sRGB, with no EXIF, GPS, XMP or profile.

    Raises ValidationError, with a sentence an editor can act on, for anything else.
    """
    with _opened(file) as image:
        stored_format = _STORED_FORMAT.get(image.format)
        if stored_format is None:  # a variant of an accepted format that is not known here
            raise ValidationError(NOT_AN_IMAGE, code="invalid_image")
        try:
            image.seek(0)
            image.load()
            ImageOps.exif_transpose(image, in_place=True)
            cleaned = _without_metadata(_in_srgb(_plain_mode(image)))
        except _UNREADABLE as error:
            raise ValidationError(DAMAGED, code="damaged_image") from error
        content = io.BytesIO()
        cleaned.save(content, format=stored_format, **_STORED_OPTIONS[stored_format])
    stem = slugify(PurePosixPath(file.name or "").stem)[:60].strip("-") or "image"
    return ContentFile(content.getvalue(), name=f"{stem}.{_EXTENSION[stored_format]}")


class ImageUploadField(forms.ImageField):
    """An image form field that stores the cleaned copy of the upload, never the upload.

    It replaces Django's own check, which would open any format Pillow knows and answer a
    decompression bomb with a generic message.
    """

    def to_python(self, data):
        file = forms.FileField.to_python(self, data)
        return None if file is None else clean_image(file)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if "accept" in attrs:
            attrs["accept"] = "image/jpeg,image/png,image/webp,image/gif"
        return attrs


@contextmanager
def _opened(file):
    """The image as Pillow sees it from its header, after the byte and pixel limits."""
    if file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"This file is too large: {file.size / 2**20:.1f} MB; the limit is "
            f"{MAX_UPLOAD_BYTES // 2**20} MB. Export a smaller file and upload it again.",
            code="file_too_large",
        )
    try:
        image = Image.open(file, formats=ACCEPTED_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels(_size_past_pillow_guard(file)) from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise ValidationError(NOT_AN_IMAGE, code="invalid_image") from error
    try:
        with image:  # which leaves the file open, for the caller to store or read again
            if image.width * image.height > MAX_PIXELS:
                raise _too_many_pixels(image.size)
            yield image
    finally:
        file.seek(0)


def _too_many_pixels(size) -> ValidationError:
    limit = f"the limit is {MAX_PIXELS // 1_000_000} megapixels"
    if size is None:
        message = f"This image is too large: {limit}."
    else:
        message = f"This image is too large: {size[0]:,} × {size[1]:,} pixels; {limit}."
    return ValidationError(
        f"{message} Make it smaller and upload it again.", code="image_too_large"
    )


def _size_past_pillow_guard(file) -> tuple[int, int] | None:
    """The size an image's header claims, when Pillow's own guard refused to open it.

    Pillow raises before it says how large the image is; its format parsers read the header
    without that check, and decode nothing.
    """
    file.seek(0)
    prefix = file.read(16)
    for name in ACCEPTED_FORMATS:
        factory, accept = Image.OPEN[name]
        claims = accept(prefix) if accept else True
        if claims and not isinstance(claims, str):
            file.seek(0)
            try:
                with factory(file, "") as image:
                    return image.size
            except (OSError, SyntaxError, ValueError, EOFError):
                return None
    return None


def _plain_mode(image: Image.Image) -> Image.Image:
    """The image in RGB, RGBA, L, LA or CMYK, the modes every later step understands."""
    if image.mode in ("RGB", "RGBA", "L", "LA", "CMYK"):
        return image
    if image.mode.startswith("I"):
        # 16-bit greyscale: scale to 8 bits rather than clip everything bright to white.
        return image.convert("I").point(lambda value: value / 257).convert("L")
    return image.convert("RGBA" if image.has_transparency_data else "RGB")


def _in_srgb(image: Image.Image) -> Image.Image:
    """The pixels in sRGB, which browsers assume of an image that carries no profile."""
    profile = image.info.get("icc_profile")
    if profile and image.mode in ("RGB", "RGBA", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            if image.mode == "CMYK" or "sRGB" not in ImageCms.getProfileDescription(source):
                mode = "RGBA" if image.mode == "RGBA" else "RGB"
                return ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            # A broken profile is dropped, and the pixels are taken as sRGB.
            pass
    return image.convert("RGB") if image.mode == "CMYK" else image


def _without_metadata(image: Image.Image) -> Image.Image:
    # Encoders copy some of info (a JPEG comment, a PNG's profile) into what they write.
    image.info = {}
    return image


# Renditions


def renditions(image, widths=RENDITION_WIDTHS) -> list[dict]:
    """Smaller copies of a stored image, narrowest first: [{width, height, webp_url, jpeg_url}].

    ``image`` is a FieldFile, or the storage name or URL of a file in default storage (what a
    published snapshot keeps). Each width up to the image's own is made once, then reused until
    the file changes; an image narrower than the widest asked for adds its own width. If the
    file is missing or unreadable, this logs a warning and returns [] so a page can fall back.
    """
    located = _locate(image)
    if located is None:
        return []
    storage, name, path = located
    try:
        stem = _renditions_stem(name, path.stat())
        sizes = _made_before(storage, stem, widths)
        if sizes is None:
            sizes = _make(storage, stem, path, widths)
    except Exception:
        # A page showing an image must never fail because of it (Pillow raises many kinds of
        # error on a damaged file): log it, and offer no renditions.
        logger.warning("No renditions of the image %r.", name, exc_info=True)
        return []
    return [
        {
            "width": width,
            "height": height,
            "webp_url": storage.url(f"{stem}-{width}.webp"),
            "jpeg_url": storage.url(f"{stem}-{width}.jpg"),
        }
        for width, height in sizes
    ]


def original_image(image) -> dict | None:
    """The stored image itself as {url, width, height}, for a page that has no renditions.

    Width and height are read from the header, turned the way a browser shows the image, or
    are None if the file cannot be read.
    """
    located = _locate(image)
    if located is None:
        return None
    storage, name, path = located
    found = {"url": storage.url(name), "width": None, "height": None}
    try:
        with Image.open(path, formats=ACCEPTED_FORMATS) as opened:
            found["width"], found["height"] = _upright_size(opened)
    except Exception:
        logger.warning("Cannot read the size of the image %r.", name, exc_info=True)
    return found


def _locate(image):
    """(storage, name, local path) of a FieldFile, storage name or media URL; None if none."""
    if isinstance(image, FieldFile):
        storage, name = image.storage, image.name
    else:
        storage, name = default_storage, str(image or "")
        base_url = getattr(storage, "base_url", "")
        if base_url and name.startswith(base_url):
            name = unquote(name.removeprefix(base_url))
    if not name:
        return None
    try:
        return storage, name, Path(storage.path(name))
    except (NotImplementedError, SuspiciousFileOperation, ValueError):
        logger.warning("The image %r is not a file in this site's media folder.", name)
        return None


def _renditions_stem(name: str, stat: os.stat_result) -> str:
    """Where this version of the file's renditions live: a new upload or edit gets new ones."""
    version = hashlib.sha256(f"{name}\n{stat.st_size}\n{stat.st_mtime_ns}".encode()).hexdigest()
    source = PurePosixPath(name)
    folder = PurePosixPath("renditions") / source.parent
    return str(folder / f"{slugify(source.stem) or 'image'}-{version[:16]}")


def _made_before(storage, stem: str, widths) -> list[tuple[int, int]] | None:
    """The sizes of the renditions already made of this version, or None to make them."""
    try:
        original = json.loads(Path(storage.path(f"{stem}.json")).read_text())
        sizes = _sizes(original["width"], original["height"], widths)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    for width, _height in sizes:
        for extension in ("webp", "jpg"):
            if not Path(storage.path(f"{stem}-{width}.{extension}")).exists():
                return None
    return sizes


def _make(storage, stem: str, path: Path, widths) -> list[tuple[int, int]]:
    with Image.open(path, formats=ACCEPTED_FORMATS) as source:
        if source.width * source.height > MAX_PIXELS:
            raise _too_many_pixels(source.size)
        original_width, original_height = _upright_size(source)
        sizes = _sizes(original_width, original_height, widths)
        widest = sizes[-1][0]
        # A JPEG can decode straight to a half, quarter or eighth of its size: far quicker.
        source.draft(None, (widest, widest))
        source.load()
        ImageOps.exif_transpose(source, in_place=True)
        base = _without_metadata(_in_srgb(_plain_mode(source)))
        if base.mode not in ("RGB", "RGBA"):
            base = base.convert("RGBA" if base.mode == "LA" else "RGB")
        # Widest first, each from the one before: a third of the work of each from the original.
        scaled = base
        for size in reversed(sizes):
            scaled = scaled.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
            _write(storage, f"{stem}-{size[0]}.webp", _encoded(scaled, "WEBP"))
            _write(storage, f"{stem}-{size[0]}.jpg", _encoded(_on_white(scaled), "JPEG"))
    # Written last, so that its presence means every rendition above is complete.
    original = {"width": original_width, "height": original_height}
    _write(storage, f"{stem}.json", json.dumps(original).encode())
    return sizes


def _sizes(width: int, height: int, widths) -> list[tuple[int, int]]:
    """The renditions of a ``width`` × ``height`` image, narrowest first; none wider than it."""
    chosen = {w for w in widths if w < width}
    if width <= max(widths):
        chosen.add(width)
    return [(w, max(1, round(height * w / width))) for w in sorted(chosen)]


def _upright_size(image: Image.Image) -> tuple[int, int]:
    orientation = image.getexif().get(ExifTags.Base.Orientation)
    width, height = image.size
    return (height, width) if orientation in _ROTATED_ORIENTATIONS else (width, height)


def _on_white(image: Image.Image) -> Image.Image:
    """The image as JPEG can hold it: transparent parts on white, as the page shows them."""
    if image.mode != "RGBA":
        return image
    return Image.alpha_composite(Image.new("RGBA", image.size, "white"), image).convert("RGB")


def _encoded(image: Image.Image, format: str) -> bytes:
    content = io.BytesIO()
    image.save(content, format=format, **_RENDITION_OPTIONS[format])
    return content.getvalue()


def _write(storage, name: str, content: bytes) -> None:
    """Write a file whole or not at all: a reader sees the old file or the new, never half."""
    path = Path(storage.path(name))
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(content)
        # mkstemp makes the file private; the web server must be able to read it.
        os.chmod(temporary, settings.FILE_UPLOAD_PERMISSIONS or 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
