"""A source's document read from an upload: the text of a plain-text file or of a PDF.

Only the text is kept (``Source.document``), not the file: uploads are public files served as
they are, and an anonymous source's letter must never be one. Whatever an upload holds, a
problem with it is a sentence next to the field, never a server error.
"""

import io
import logging
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from pypdf import PdfReader

logger = logging.getLogger(__name__)

MAX_BYTES = 15 * 1024 * 1024
MAX_PAGES = 1000
KINDS = (".txt", ".pdf")

NOT_A_DOCUMENT = "Upload the document as a .txt or .pdf file, or paste its text instead."
TOO_LARGE = "This file is over 15 MB: upload a smaller one, or paste the document's text."
NOT_UTF8 = "This text file is not UTF-8 text: save it as UTF-8, or paste its text instead."
NOT_A_PDF = "This file is named .pdf but is not a PDF: upload the PDF itself, or paste its text."
UNREADABLE_PDF = (
    "This PDF could not be read (damaged, or locked with a password): paste the document's "
    "text instead."
)
TOO_MANY_PAGES = "This PDF has over 1,000 pages: paste the passages the story quotes instead."
NO_TEXT = (
    "This PDF holds no text to read, only images of pages (a scan?): paste the document's "
    "text instead."
)


def document_text(upload) -> str:
    """The text of an uploaded .txt or .pdf file, or ValidationError saying what to do.

    NUL characters, which no text shows and PostgreSQL refuses to store, are dropped.
    """
    return _readable(upload).replace("\x00", "")


def _readable(upload) -> str:
    suffix = PurePosixPath(upload.name or "").suffix.lower()
    if suffix not in KINDS:
        raise ValidationError(NOT_A_DOCUMENT)
    if upload.size > MAX_BYTES:
        raise ValidationError(TOO_LARGE)
    data = upload.read()
    if suffix == ".txt":
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(NOT_UTF8) from None
    return pdf_text(data)


def pdf_text(data: bytes) -> str:
    """The text of a PDF's pages, a blank line between pages."""
    if not data.startswith(b"%PDF-"):
        raise ValidationError(NOT_A_PDF)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValidationError(UNREADABLE_PDF)
        if len(reader.pages) > MAX_PAGES:
            raise ValidationError(TOO_MANY_PAGES)
        pages = [page.extract_text() or "" for page in reader.pages]
    except ValidationError:
        raise
    except Exception:  # a malformed file from outside can fail anywhere in the parser
        logger.info("An uploaded PDF could not be read", exc_info=True)
        raise ValidationError(UNREADABLE_PDF) from None
    text = "\n\n".join(page.strip() for page in pages).strip()
    if not text:
        raise ValidationError(NO_TEXT)
    return text
