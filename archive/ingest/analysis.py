"""The analysis step, run in the pipeline's worker threads: everything learnt from a
file's content (decoded photo, EXIF, rendered thumbnails; a paper's pages and its
first page's preview) before
any row exists. No app context here; messages are lazy strings."""
from __future__ import annotations

import logging
import threading
from contextlib import nullcontext
from pathlib import Path

from flask_babel import lazy_gettext as _l

from ..core.refusal import Refused
from . import previews, storage, thumbnails
from ..places.lookup import DerivedPlace, place_of
from .exif import read_exif_block
from .images import decode_photo
from .pdf import read_pdf
from .results import Analysis
from .sniff import FileType

log = logging.getLogger(__name__)

#: photos decoded whole, without JPEG's draft scaling: a 12 MP HEIC takes
#: ~80 MB while it decodes (libheif's picture and Pillow's copy) and ~50 MB
#: while its thumbnails are made, so the pipeline's threads take turns with
#: them. Measured with benchmarks/batch_memory.py --heic (30 HEICs): peak
#: 353 -> 279 MiB, for about half the batch's HEIC throughput on two cores.
WHOLE_DECODE_TYPES = {"image/heic", "image/heif"}
_WHOLE_DECODE = threading.Lock()


def analyse(path: Path, file_type: FileType, name: str, max_pixels: int, *,
            keep_picture: bool = False) -> Analysis:
    """Everything learnt from the file's content; runs in the worker thread, so no app context.
    ``keep_picture``: a photo's thumbnails are not rendered; its decoded picture is kept
    for them instead (``Analysis.picture``)."""
    try:
        return analyse_content(path, file_type, name, max_pixels, keep_picture=keep_picture)
    except Refused:
        raise
    except OSError as err:
        refusal = storage.storage_refusal(err)
        if refusal is not None:
            raise refusal from err
        log.warning("Could not analyse %r", name, exc_info=True)
        raise _unreadable(name) from err
    except Exception as err:
        # Whatever else the image and PDF libraries trip over is still a file
        # the archive cannot read: a clear 422, not a server error.
        log.warning("Could not analyse %r", name, exc_info=True)
        raise _unreadable(name) from err


def _unreadable(name: str) -> Refused:
    return Refused(
        _l("Berkas %(name)s tidak dapat diproses, mungkin rusak. Simpan ulang lalu unggah lagi.",
           name=name), 422)


def analyse_content(path: Path, file_type: FileType, name: str, max_pixels: int, *,
                    keep_picture: bool = False) -> Analysis:
    storage.make_durable(path)  # here, so the request thread does not wait for the disk
    analysis = Analysis(file_type)
    if file_type.kind == "paper":
        analysis.paper = read_pdf(path, name)
        if analysis.paper.page_count:  # a locked paper keeps the generic "PDF" box
            analysis.rendered_thumbnails = previews.render_page(path, 1) or {}
        return analysis
    with _WHOLE_DECODE if file_type.mime_type in WHOLE_DECODE_TYPES else nullcontext():
        decoded = decode_photo(path, file_type.mime_type, name, max_pixels=max_pixels,
                               longest_side=thumbnails.largest_side())
        try:
            analysis.photo = read_exif_block(decoded.exif_block)
            analysis.width, analysis.height = decoded.width, decoded.height
            orientation = decoded.orientation(analysis.photo.orientation)
            if keep_picture:
                analysis.picture = thumbnails.Picture(decoded.image, orientation)
            else:
                analysis.rendered_thumbnails = thumbnails.render(decoded.image, orientation)
        finally:
            if analysis.picture is None:
                decoded.image.close()
    analysis.place = _place(analysis.photo)
    return analysis


def _place(photo) -> DerivedPlace | None:
    """The place of the photo's GPS; a failing lookup never costs the photo."""
    try:
        return place_of(photo.latitude, photo.longitude)
    except Exception:
        log.warning("Could not derive a place from %s, %s", photo.latitude, photo.longitude,
                    exc_info=True)
        return None
