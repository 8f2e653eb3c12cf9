"""Papers: page count, per-page text and title from a PDF, with pypdf.

A PDF that pypdf cannot open or whose page tree is broken is refused with a
clear message. An encrypted one is tried with the empty password (many are
only "protected" against printing); if that fails it is accepted with "text
not available". Text extraction is bounded in pages, characters and time so
that a pathological paper cannot hold the upload for long.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from ..core.refusal import Refused
from .quiet import quiet_warnings
from .text import clean_text, one_line

if TYPE_CHECKING:  # pypdf (~10 MiB) is imported by the first paper a worker reads
    from pypdf import PdfReader

log = logging.getLogger(__name__)

#: pages whose text is extracted; later pages are counted but not read
MAX_TEXT_PAGES = 1000
MAX_PAGE_CHARS = 100_000
MAX_TOTAL_CHARS = 5_000_000
#: seconds text extraction may take for one paper
TEXT_TIME_BUDGET = 30.0


@dataclass
class PaperInfo:
    page_count: int | None
    title: str = ""
    #: the text of pages 1..n, in order (may stop before page_count)
    pages: list[str] = field(default_factory=list)
    text_available: bool = False
    encrypted: bool = False


def read_pdf(path: Path, filename: str) -> PaperInfo:
    """Read the paper at ``path``; raise ``Refused`` if it is damaged beyond reading."""
    from pypdf import PdfReader

    # pypdf warns about many small defects it works around; those are not errors here.
    with quiet_warnings():
        try:
            reader = PdfReader(path, strict=False)
        except Exception as err:  # pypdf raises many kinds on damaged files
            raise _damaged(filename) from err
        info = PaperInfo(page_count=None, encrypted=reader.is_encrypted)
        readable = True
        if reader.is_encrypted:
            readable = _try_empty_password(reader)
        try:
            info.page_count = len(reader.pages)
        except Exception as err:
            if readable:
                raise _damaged(filename) from err
            info.page_count = None  # encrypted: the page tree cannot be read without the key
        if info.page_count == 0:
            raise _damaged(filename)
        if readable:
            info.title = _title(reader)
            info.pages = _page_texts(reader)
            info.text_available = any(text.strip() for text in info.pages)
    return info


def _damaged(filename: str) -> Refused:
    return Refused(
        _l("PDF %(name)s rusak sehingga tidak dapat dibaca. Simpan ulang atau ekspor lagi "
          "sebagai PDF lalu unggah lagi.", name=filename),
        422,
    )


def _try_empty_password(reader: PdfReader) -> bool:
    from pypdf import PasswordType

    try:
        return reader.decrypt("") != PasswordType.NOT_DECRYPTED
    except Exception:  # e.g. an AES cipher without its crypto library
        log.info("PDF decryption failed", exc_info=True)
        return False


def _title(reader: PdfReader) -> str:
    try:
        meta = reader.metadata
        return one_line(meta.title if meta else "", 300)
    except Exception:
        return ""


def _page_texts(reader: PdfReader) -> list[str]:
    deadline = time.monotonic() + TEXT_TIME_BUDGET
    texts: list[str] = []
    total = 0
    for number, page in enumerate(reader.pages, start=1):
        if number > MAX_TEXT_PAGES or total >= MAX_TOTAL_CHARS or time.monotonic() > deadline:
            break
        try:
            text = clean_text(page.extract_text(), MAX_PAGE_CHARS)
        except Exception:  # one broken page leaves the others readable
            log.info("No text from page %s", number, exc_info=True)
            text = ""
        total += len(text)
        texts.append(text)
    return texts
