import io
import os
import re
import struct
import zlib
from html.parser import HTMLParser

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.template import Context, Template, TemplateSyntaxError
from PIL import ExifTags, Image, ImageCms, ImageFile

from articles.models import Article
from people import images
from people.images import ImageUploadField, clean_image, renditions, validate_image
from people.models import Person
from people.uploads import UnguessableName

RED, BLUE = (220, 20, 20), (20, 20, 220)


def image_bytes(format="JPEG", size=(60, 30), mode="RGB", **options) -> bytes:
    """An image whose left half is red and right half blue, so a turn shows."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    if mode != "RGB":
        image = image.convert(mode)
    content = io.BytesIO()
    image.save(content, format=format, **options)
    return content.getvalue()


def upload(content: bytes, name="photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` pixels: a decompression bomb."""
    data = bytearray(image_bytes("PNG", size=(1, 1), mode="L"))
    data[16:24] = struct.pack(">II", width, height)  # IHDR's width and height
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))  # and its checksum
    return bytes(data)


def close_to(pixel, colour) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(pixel, colour, strict=False))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_URL = "/media/"
    return tmp_path


def stored(name: str, content: bytes) -> str:
    return default_storage.save(name, ContentFile(content))


# Uploads


def test_jpeg_from_a_phone_is_stored_upright_without_its_gps_position():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # the camera was held turned a quarter clockwise
    exif[ExifTags.Base.Make] = "Phone"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (18.0, 32.0, 24.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (72.0, 20.0, 6.0)
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    original = image_bytes(exif=exif, comment=b"source: J. Doe", icc_profile=srgb)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    cleaned = clean_image(upload(original, "IMG 0042 (Port-au-Prince).JPG"))

    assert cleaned.name == "img-0042-port-au-prince.jpg"
    content = cleaned.read()
    result = Image.open(io.BytesIO(content))
    assert result.format == "JPEG"
    assert not result.getexif()
    assert not {"exif", "icc_profile", "xmp", "comment"} & set(result.info)
    assert b"Doe" not in content and b"Phone" not in content and b"Exif" not in content
    assert result.size == (30, 60)
    assert close_to(result.getpixel((15, 10)), RED)  # the left half is now on top
    assert close_to(result.getpixel((15, 50)), BLUE)


@pytest.mark.parametrize(
    ("name", "content", "stored_as", "mode"),
    [
        ("chart.png", image_bytes("PNG", mode="RGBA"), "chart.png", "RGBA"),
        ("portrait.webp", image_bytes("WEBP", quality=90), "portrait.webp", "RGB"),
        ("map.gif", image_bytes("GIF", mode="P"), "map.png", "RGB"),
        ("scan.jpg", image_bytes("JPEG", mode="CMYK"), "scan.jpg", "RGB"),
        ("grey.png", image_bytes("PNG", mode="L"), "grey.png", "L"),
    ],
    ids=["png", "webp", "gif", "cmyk-jpeg", "greyscale-png"],
)
def test_png_webp_gif_and_cmyk_jpeg_are_accepted(name, content, stored_as, mode):
    cleaned = clean_image(upload(content, name))

    assert cleaned.name == stored_as
    result = Image.open(io.BytesIO(cleaned.read()))
    assert result.mode == mode
    assert result.size == (60, 30)
    assert close_to(result.convert("RGB").getpixel((5, 5)), RED if mode != "L" else (76,) * 3)


def test_a_16_bit_greyscale_png_keeps_its_tones():
    content = io.BytesIO()
    Image.new("I;16", (8, 8), 32_768).save(content, "PNG")

    cleaned = Image.open(io.BytesIO(clean_image(upload(content.getvalue(), "x.png")).read()))

    assert (cleaned.mode, cleaned.getpixel((0, 0))) == ("L", 127)


@pytest.mark.parametrize(
    "content",
    [
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
        b"<script>alert(document.cookie)</script></svg>",
        b"<!doctype html><html><body><script>alert(1)</script></body></html>",
        b"",
        image_bytes("TIFF"),
        image_bytes("BMP"),
    ],
    ids=["svg", "html", "empty", "tiff", "bmp"],
)
def test_a_file_that_is_not_an_accepted_image_is_refused_whatever_its_name(content):
    with pytest.raises(ValidationError) as refused:
        clean_image(upload(content, "photo.jpg"))

    assert refused.value.messages == ["Upload a JPEG, PNG, WebP or GIF image."]


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (30_000, 30_000),  # past Pillow's own guard, which refuses to open it
        (10_000, 5_000),  # under Pillow's guard, over ours
        pytest.param(
            12_000,
            9_000,  # where Pillow warns, here with warnings raised as errors
            marks=pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning"),
        ),
    ],
)
def test_a_decompression_bomb_is_refused_from_its_header_without_decoding(
    width, height, monkeypatch
):
    def no_decoding(self):
        raise AssertionError("the image was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    bomb = upload(png_claiming(width, height), "bomb.png")
    assert bomb.size < 100

    for check in (validate_image, clean_image):
        with pytest.raises(ValidationError) as refused:
            check(bomb)
        assert refused.value.messages == [
            f"This image is too large: {width:,} × {height:,} pixels; the limit is 40 "
            "megapixels. Make it smaller and upload it again."
        ]


def test_a_file_over_the_byte_limit_is_refused_before_it_is_opened():
    padded = image_bytes() + b"\0" * (16 * 1024 * 1024)

    with pytest.raises(ValidationError) as refused:
        clean_image(upload(padded))

    assert refused.value.messages == [
        "This file is too large: 16.0 MB; the limit is 15 MB. "
        "Export a smaller file and upload it again."
    ]


def test_a_truncated_image_is_refused_as_damaged():
    noise = Image.effect_noise((200, 200), 80).convert("RGB")
    content = io.BytesIO()
    noise.save(content, "JPEG")

    with pytest.raises(ValidationError) as refused:
        clean_image(upload(content.getvalue()[: content.tell() // 2]))

    assert refused.value.messages == [images.DAMAGED]


def frames_bytes(format: str, **options) -> bytes:
    """A file of two frames, the first red and the second blue."""
    red, blue = Image.new("RGB", (60, 30), RED), Image.new("RGB", (60, 30), BLUE)
    content = io.BytesIO()
    red.save(content, format=format, save_all=True, append_images=[blue], **options)
    return content.getvalue()


def test_a_multi_picture_jpeg_from_a_phone_is_stored_as_its_first_picture_without_gps():
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phone"
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] = (18.0, 32.0, 24.0)
    original = frames_bytes("MPO", exif=exif)
    assert Image.open(io.BytesIO(original)).format == "MPO"

    cleaned = clean_image(upload(original, "IMG_0423.JPG"))

    assert cleaned.name == "img_0423.jpg"
    content = cleaned.read()
    result = Image.open(io.BytesIO(content))
    assert (result.format, getattr(result, "n_frames", 1)) == ("JPEG", 1)
    assert not result.getexif() and b"Phone" not in content and b"MPF" not in content
    assert close_to(result.getpixel((5, 5)), RED)


@pytest.mark.parametrize(
    ("name", "content", "stored_as"),
    [
        ("stereo.jpg", frames_bytes("MPO"), "JPEG"),
        ("animated.gif", frames_bytes("GIF"), "PNG"),
        ("animated.webp", frames_bytes("WEBP", lossless=True), "WEBP"),
        ("animated.png", frames_bytes("PNG"), "PNG"),
    ],
    ids=["mpo", "gif", "webp", "apng"],
)
def test_every_file_of_several_frames_is_stored_as_its_first_frame_alone(name, content, stored_as):
    assert Image.open(io.BytesIO(content)).n_frames == 2

    result = Image.open(io.BytesIO(clean_image(upload(content, name)).read()))

    assert result.format == stored_as
    assert not getattr(result, "is_animated", False)
    assert getattr(result, "n_frames", 1) == 1
    assert close_to(result.convert("RGB").getpixel((5, 5)), RED)


def test_an_image_opened_as_a_format_not_known_here_is_refused_with_a_sentence(monkeypatch):
    monkeypatch.delitem(images._STORED_FORMAT, "MPO")

    with pytest.raises(ValidationError) as refused:
        clean_image(upload(frames_bytes("MPO")))

    assert refused.value.messages == [images.NOT_AN_IMAGE]


def test_uploads_are_stored_under_a_name_that_cannot_be_guessed():
    to_articles = UnguessableName("articles/%Y/%m/")

    names = {to_articles(Article(), "img_0423.jpg") for _ in range(100)}

    assert len(names) == 100
    for name in names:
        assert re.fullmatch(r"articles/\d{4}/\d{2}/img_0423-[0-9a-f]{32}\.jpg", name)
    assert re.fullmatch(r"people/image-[0-9a-f]{32}", UnguessableName("people/")(None, ""))
    long = UnguessableName("articles/%Y/%m/")(None, f"{'Del Rio bridge ' * 20}.WEBP")
    assert re.fullmatch(
        r"articles/\d{4}/\d{2}/del-rio-bridge-del-rio-bridge-de-[0-9a-f]{32}\.webp", long
    )
    assert len(long) <= 100  # a FileField's length: storage would cut the random part to fit


def test_validate_image_does_not_read_a_file_already_stored(media):
    person = Person(name="Daniel Foote", photo=stored("people/foote.jpg", b"not an image"))

    validate_image(person.photo)
    person.photo = upload(b"still not an image")
    with pytest.raises(ValidationError):
        validate_image(person.photo)


class PersonPhotoForm(forms.ModelForm):
    """What the admin's form is once ImageUploadField replaces the photo's form field."""

    photo = ImageUploadField(required=False)

    class Meta:
        model = Person
        fields = ["name", "slug", "photo"]


def test_the_upload_field_stores_the_cleaned_image_and_shows_the_sentence(db, media):
    exif = Image.Exif()
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] = (18.0, 32.0, 24.0)
    data = {"name": "Daniel Foote", "slug": "daniel-foote"}

    form = PersonPhotoForm(data, {"photo": upload(image_bytes(exif=exif), "Foote.jpg")})
    assert form.is_valid(), form.errors
    person = form.save()

    assert re.fullmatch(r"people/foote-[0-9a-f]{32}\.jpg", person.photo.name)
    assert not Image.open(media / person.photo.name).getexif()
    refused = PersonPhotoForm(data, {"photo": upload(png_claiming(20_000, 20_000), "x.png")})
    assert refused.errors["photo"] == [
        "This image is too large: 20,000 × 20,000 pixels; the limit is 40 megapixels. "
        "Make it smaller and upload it again."
    ]
    assert 'accept="image/jpeg,image/png,image/webp,image/gif"' in str(refused["photo"])


@pytest.mark.parametrize("model", [Article, Person], ids=["article", "person"])
def test_one_line_in_an_admin_gives_its_images_the_upload_field(model, rf):
    class Wired(type(admin.site.get_model_admin(model))):
        formfield_overrides = {models.ImageField: {"form_class": ImageUploadField}}

    request = rf.get("/")
    request.user = User(username="admin", is_active=True, is_staff=True, is_superuser=True)
    fields = Wired(model, admin.site).get_form(request).base_fields
    [image_field] = [fields[f.name] for f in model._meta.fields if isinstance(f, models.ImageField)]

    assert isinstance(image_field, ImageUploadField)
    assert isinstance(image_field.widget, AdminFileWidget)


# Renditions


def files_under(folder) -> dict:
    return {path: path.stat().st_mtime_ns for path in folder.rglob("*") if path.is_file()}


def test_renditions_are_made_at_each_width_up_to_the_original_and_no_wider(media):
    name = stored("articles/2024/05/haiti.jpg", image_bytes(size=(1000, 500)))

    made = renditions(name)

    assert [(r["width"], r["height"]) for r in made] == [(480, 240), (800, 400), (1000, 500)]
    assert made[0]["webp_url"].startswith("/media/renditions/articles/2024/05/haiti-")
    assert made[0]["webp_url"].endswith("-480.webp")
    assert made[0]["jpeg_url"].endswith("-480.jpg")
    for rendition in made:
        for key, format in (("webp_url", "WEBP"), ("jpeg_url", "JPEG")):
            path = media / rendition[key].removeprefix("/media/")
            with Image.open(path) as image:
                assert (image.format, image.size) == (
                    format,
                    (rendition["width"], rendition["height"]),
                )
            assert path.stat().st_mode & 0o777 == 0o644
    assert not [path for path in files_under(media) if path.name.startswith(".")]
    assert [r["width"] for r in renditions(stored("small.png", image_bytes("PNG")))] == [60]


def test_renditions_are_made_once_then_reused_without_touching_pillow(media, monkeypatch):
    name = stored("articles/haiti.jpg", image_bytes(size=(1700, 850)))
    made = renditions(name)
    written = files_under(media / "renditions")
    assert len(written) == 4 * 2 + 1  # four widths in two formats, and what was made

    def no_pillow(*args, **kwargs):
        raise AssertionError("Pillow was asked to open an image")

    monkeypatch.setattr(Image, "open", no_pillow)
    assert renditions(name) == made
    assert files_under(media / "renditions") == written


def test_a_replaced_image_gets_new_renditions(media):
    name = stored("people/foote.jpg", image_bytes(size=(900, 600)))
    before = renditions(name)

    (media / name).write_bytes(image_bytes(size=(900, 300)))
    after = renditions(name)

    assert after[-1]["height"] == 300
    assert {r["jpeg_url"] for r in after}.isdisjoint(r["jpeg_url"] for r in before)


def test_renditions_of_a_photo_taken_sideways_are_upright(media):
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    name = stored("legacy.jpg", image_bytes(size=(600, 300), exif=exif))

    made = renditions(name)

    assert [(r["width"], r["height"]) for r in made] == [(300, 600)]
    with Image.open(media / made[0]["jpeg_url"].removeprefix("/media/")) as image:
        assert close_to(image.getpixel((150, 50)), RED)
        assert not image.getexif()


def test_renditions_accept_a_field_file_a_storage_name_or_a_media_url(media):
    name = stored("people/foote portrait.jpg", image_bytes(size=(500, 500)))
    photo = Person(photo=name).photo

    assert renditions(photo) == renditions(name) == renditions(photo.url)
    assert "%20" in photo.url


def test_a_missing_or_unreadable_image_has_no_renditions_and_is_logged(media, caplog):
    broken = stored("broken.jpg", image_bytes()[:40])

    assert renditions("gone.jpg") == []
    assert renditions(broken) == []
    assert renditions("../../etc/passwd") == []
    assert renditions("") == []
    assert [record.levelname for record in caplog.records] == ["WARNING"] * 3


# The picture tag


class Elements(HTMLParser):
    def __init__(self, markup):
        super().__init__()
        self.found = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def render(markup: str, **context) -> str:
    return Template("{% load pictures %}" + markup).render(Context(context))


def test_the_picture_tag_offers_webp_with_a_jpeg_fallback_and_escapes_the_alt(media):
    name = stored("articles/haiti.jpg", image_bytes(size=(1000, 500)))
    alt = 'Daniel Foote "at" the <script>border</script>'

    html = render(
        '{% picture image alt=alt sizes="(max-width: 44rem) 100vw, 44rem" class="lead" %}',
        image=name,
        alt=alt,
    )

    assert "<script>" not in html
    [(picture, _), (source, source_attrs), (img, img_attrs)] = Elements(html).found
    assert (picture, source, img) == ("picture", "source", "img")
    assert source_attrs["type"] == "image/webp"
    assert [entry.split()[1] for entry in source_attrs["srcset"].split(", ")] == [
        "480w",
        "800w",
        "1000w",
    ]
    assert source_attrs["sizes"] == img_attrs["sizes"] == "(max-width: 44rem) 100vw, 44rem"
    assert img_attrs["src"].endswith("-1000.jpg")
    assert img_attrs["srcset"].count(".jpg ") == 3
    assert (img_attrs["width"], img_attrs["height"]) == ("1000", "500")
    assert img_attrs["alt"] == alt
    assert img_attrs["class"] == "lead"
    assert (img_attrs["loading"], img_attrs["decoding"]) == ("lazy", "async")


def test_the_picture_tag_falls_back_to_the_original_when_renditions_cannot_be_made(media):
    name = stored("articles/haiti.png", image_bytes("PNG", size=(640, 480)))
    (media / "renditions").write_text("a file where the folder should be")

    html = render('{% picture image alt="Haiti" %}', image=f"/media/{name}")

    [(img, attrs)] = Elements(html).found
    assert img == "img"
    assert attrs["src"] == "/media/articles/haiti.png"
    assert (attrs["width"], attrs["height"], attrs["alt"]) == ("640", "480", "Haiti")
    assert attrs["loading"] == "lazy"


def test_the_picture_tag_renders_nothing_without_an_image_and_refuses_unknown_options(media):
    assert render('{% picture image alt="" %}', image="") == ""
    assert render("{% picture image %}", image=Person().photo) == ""
    with pytest.raises(TemplateSyntaxError):
        render('{% picture image onload="alert(1)" %}', image="x.jpg")
    assert os.listdir(media) == []


LEAD_IMAGE_MARKUP = (
    "{% picture story.lead_image.name|default:story.lead_image.url alt=story.lead_image.alt "
    'sizes="(max-width: 44rem) 100vw, 44rem" loading="eager" fetchpriority="high" %}'
)


def test_the_lead_image_markup_reads_old_snapshots_by_url_and_new_ones_by_name(media):
    name = stored("articles/2024/05/haiti.jpg", image_bytes(size=(1300, 650)))
    url = default_storage.url(name)
    old = {"url": url, "alt": "The border"}

    by_url = render(LEAD_IMAGE_MARKUP, story={"lead_image": old})
    by_name = render(LEAD_IMAGE_MARKUP, story={"lead_image": {**old, "name": name}})

    assert by_url == by_name
    img = dict(Elements(by_name).found)["img"]
    assert (img["width"], img["height"], img["alt"]) == ("1300", "650", "The border")
    assert (img["loading"], img["fetchpriority"]) == ("eager", "high")
