from django import template
from django.forms.utils import flatatt
from django.utils.html import format_html

from people import images

register = template.Library()

# Attributes a template may add to the <img> as they are.
PASSED_THROUGH = ("class", "fetchpriority")


@register.simple_tag
def picture(image, alt="", sizes="100vw", loading="lazy", **attributes):
    """A responsive <picture> of a stored image: WebP renditions, JPEG ones as the fallback.

    ``image`` is a FieldFile, or a stored file's name or URL (a published snapshot keeps the
    URL). Without renditions it is the original in a plain <img>; without an image, nothing.
    ``{% picture person.photo alt=person.name sizes="12rem" class="profile-photo" %}``
    """
    unknown = set(attributes) - set(PASSED_THROUGH)
    if unknown:
        raise template.TemplateSyntaxError(
            f"picture takes image, alt, sizes, loading, class and fetchpriority, not "
            f"{', '.join(sorted(unknown))}."
        )
    if not image:
        return ""
    extra = {name: value for name, value in attributes.items() if value}
    made = images.renditions(image)
    if not made:
        return _plain_img(image, alt, loading, extra)
    largest = made[-1]
    img = {
        "src": largest["jpeg_url"],
        "srcset": _srcset(made, "jpeg_url"),
        "sizes": sizes,
        "width": largest["width"],
        "height": largest["height"],
        "alt": alt,
        **extra,
        "loading": loading,
        "decoding": "async",
    }
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}"><img{}></picture>',
        _srcset(made, "webp_url"),
        sizes,
        flatatt(img),
    )


def _srcset(made, key) -> str:
    return ", ".join(f"{rendition[key]} {rendition['width']}w" for rendition in made)


def _plain_img(image, alt, loading, extra) -> str:
    original = images.original_image(image)
    if original is None:
        return ""
    img = {
        "src": original["url"],
        "width": original["width"],
        "height": original["height"],
        "alt": alt,
        **extra,
        "loading": loading,
        "decoding": "async",
    }
    return format_html("<img{}>", flatatt({k: v for k, v in img.items() if v is not None}))
