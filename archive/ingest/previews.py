"""Paper previews: a page of a PDF rendered to the JPEG sizes of ``THUMBNAIL_SIZES``, with pypdfium2.

A paper's first page is its thumbnail: stored under the same content-hash
name as a photo's (``thumbs/ab/cd/<sha256>-<size>.jpg``), made at ingest and
again by ``flask rebuild-thumbnails``. Other pages (the page of a search hit)
are made when first asked for, as ``<sha256>-p<N>-<size>.jpg`` beside it.

A PDF that cannot be rendered (locked with an open password, damaged) simply
has no preview: ``render_page`` answers None and the pages keep the generic
"PDF" box. PDFium is not thread-safe, so every call into it holds one lock
(the upload pipeline analyses files in worker threads).
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path

from . import storage, thumbnails

log = logging.getLogger(__name__)

_PDFIUM = threading.Lock()
#: pages past this are never rendered (a preview is for reading a hit, not a whole book)
MAX_PAGES = 10_000


def can_preview(stored_file) -> bool:
    """Whether a preview may exist: a paper whose page tree could be read.

    An encrypted PDF that the empty password does not open has no page count
    (``ingest.pdf``), and PDFium cannot open it either.
    """
    return stored_file.kind == "paper" and bool(stored_file.page_count)


def render_page(path: Path, number: int = 1) -> dict[str, bytes] | None:
    """JPEG bytes per thumbnail size of page ``number`` (1-based), or None if it cannot be rendered.

    The page is rendered with its longer side at the largest thumbnail size,
    whatever its paper size says, and the smaller sizes made from that.
    """
    import pypdfium2 as pdfium

    longest = thumbnails.largest_side()
    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(str(path), password="")
        except Exception:  # locked with a password, or not readable as a PDF
            log.info("No preview of %s", path, exc_info=True)
            return None
        try:
            if not 1 <= number <= min(len(document), MAX_PAGES):
                return None
            page = document[number - 1]
            try:
                width, height = page.get_size()
                if width <= 0 or height <= 0:
                    return None
                bitmap = page.render(scale=longest / max(width, height))
                image = bitmap.to_pil().convert("RGB")
            finally:
                page.close()
        except Exception:  # a broken page: the other pages may still render
            log.info("No preview of page %s of %s", number, path, exc_info=True)
            return None
        finally:
            document.close()
    try:
        return thumbnails.render(image, None)
    finally:
        image.close()


def preview_path(stored_file, size: str, number: int = 1) -> Path:
    return storage.upload_dir() / storage.preview_relpath(stored_file.sha256, size, number)


def preview_file(stored_file, size: str, number: int = 1) -> Path | None:
    """The JPEG of page ``number`` in ``size``, rendered from the original if missing.

    None when the paper has no preview (locked, damaged, no such page);
    KeyError for an unknown size, FileNotFoundError if the original is gone.
    """
    if size not in thumbnails.THUMBNAIL_SIZES:
        raise KeyError(size)
    if not can_preview(stored_file) or not 1 <= number <= stored_file.page_count:
        return None
    path = preview_path(stored_file, size, number)
    if path.exists():
        return path
    return path if rebuild(stored_file, number) else None


def rebuild(stored_file, number: int = 1) -> list[Path]:
    """Render page ``number`` of ``stored_file`` again; the paths written (none if it cannot be)."""
    original = storage.original_path(stored_file)
    if not original.exists():
        raise FileNotFoundError(original)
    rendered = render_page(original, number)
    if rendered is None:
        return []
    return [storage.write_atomic(storage.preview_relpath(stored_file.sha256, size, number), data)
            for size, data in rendered.items()]


def stored_previews(stored_file) -> list[Path]:
    """Every preview file of ``stored_file`` on disk (first page and any other), for deletion."""
    folder = storage.upload_dir() / storage.thumbnail_folder(stored_file.sha256)
    return sorted(folder.glob(f"{stored_file.sha256}-*.jpg"))
