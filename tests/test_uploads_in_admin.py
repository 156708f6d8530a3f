"""Uploading images through the admin, as an editor does: safe files stored clean, bad ones and
storage failures refused with a message, and nothing half-saved."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from articles.models import Article
from people.models import Person
from people.uploads import STORAGE_FAILED
from tests.admin_forms import change_form_data
from tests.test_images import RED, close_to, frames_bytes, image_bytes, png_claiming


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def photo_with_gps() -> bytes:
    exif = Image.Exif()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (18.0, 32.0, 24.0)
    return image_bytes(size=(800, 500), exif=exif)


def post_article(client, article, upload, **changes):
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(client, url)
    data.update(changes, lead_image=upload)
    return client.post(url, data)


def test_lead_image_is_stored_without_its_gps_position(admin_client, foote_story, media):
    upload = SimpleUploadedFile("del-rio.jpg", photo_with_gps(), "image/jpeg")
    response = post_article(admin_client, foote_story, upload, lead_image_alt="The bridge")
    assert response.status_code == 302
    article = Article.objects.get(pk=foote_story.pk)
    stored = Image.open(io.BytesIO(article.lead_image.read()))
    assert stored.size == (800, 500)
    assert not stored.getexif()


def test_decompression_bomb_is_a_form_error_and_nothing_is_saved(admin_client, foote_story, media):
    bomb = SimpleUploadedFile("bridge.png", png_claiming(30_000, 30_000), "image/png")
    response = post_article(admin_client, foote_story, bomb, headline="Changed headline")
    assert response.status_code == 200
    assert "This image is too large: 30,000 × 30,000 pixels" in response.content.decode()
    article = Article.objects.get(pk=foote_story.pk)
    assert (article.headline, article.lead_image.name) == (foote_story.headline, "")


def test_unwritable_media_storage_is_a_form_error_and_nothing_is_saved(
    admin_client, foote_story, settings, tmp_path
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocker / "media"
    upload = SimpleUploadedFile("del-rio.jpg", photo_with_gps(), "image/jpeg")
    response = post_article(admin_client, foote_story, upload, headline="Changed headline")
    assert response.status_code == 200
    assert STORAGE_FAILED in response.content.decode().replace("&#x27;", "'")
    article = Article.objects.get(pk=foote_story.pk)
    assert (article.headline, article.lead_image.name) == (foote_story.headline, "")
    assert article.version == foote_story.version


def test_person_photo_that_is_not_an_image_is_refused(admin_client, foote, media):
    url = reverse("admin:people_person_change", args=[foote.pk])
    data = change_form_data(admin_client, url)
    data["photo"] = SimpleUploadedFile("foote.jpg", b"<svg onload=alert(1)>", "image/jpeg")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Upload a JPEG, PNG, WebP or GIF image." in response.content.decode()
    assert Person.objects.get(pk=foote.pk).photo.name == ""


def phone_photo_of_two_pictures() -> bytes:
    """A multi-picture JPEG (MPO), as many phone cameras write: red, then blue; with GPS."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phone"
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] = (18.0, 32.0, 24.0)
    content = frames_bytes("MPO", exif=exif)
    assert Image.open(io.BytesIO(content)).format == "MPO"
    return content


def assert_stored_as_a_plain_jpeg_of_the_first_picture(field_file):
    stored = Image.open(io.BytesIO(field_file.read()))
    assert (stored.format, getattr(stored, "n_frames", 1)) == ("JPEG", 1)
    assert not stored.getexif()
    assert close_to(stored.getpixel((5, 5)), RED)


def test_a_lead_image_gets_a_name_that_cannot_be_guessed(admin_client, foote_story, media):
    upload = SimpleUploadedFile("IMG_0423.JPG", photo_with_gps(), "image/jpeg")
    response = post_article(admin_client, foote_story, upload, lead_image_alt="The bridge")
    assert response.status_code == 302
    name = Article.objects.get(pk=foote_story.pk).lead_image.name
    assert re.fullmatch(r"articles/\d{4}/\d{2}/img_0423-[0-9a-f]{32}\.jpg", name)
    assert (media / name).is_file()
    assert [path.name for path in (media / name).parent.iterdir()] == [name.rsplit("/")[-1]]


def test_a_multi_picture_jpeg_is_accepted_as_a_lead_image(admin_client, foote_story, media):
    upload = SimpleUploadedFile("IMG_0423.JPG", phone_photo_of_two_pictures(), "image/jpeg")
    response = post_article(admin_client, foote_story, upload, lead_image_alt="The bridge")
    assert response.status_code == 302
    assert_stored_as_a_plain_jpeg_of_the_first_picture(
        Article.objects.get(pk=foote_story.pk).lead_image
    )


def test_a_multi_picture_jpeg_is_accepted_as_a_person_photo(admin_client, foote, media):
    url = reverse("admin:people_person_change", args=[foote.pk])
    data = change_form_data(admin_client, url)
    data["photo"] = SimpleUploadedFile("Foote.JPG", phone_photo_of_two_pictures(), "image/jpeg")
    response = admin_client.post(url, data)
    assert response.status_code == 302
    photo = Person.objects.get(pk=foote.pk).photo
    assert re.fullmatch(r"people/foote-[0-9a-f]{32}\.jpg", photo.name)
    assert_stored_as_a_plain_jpeg_of_the_first_picture(photo)
