"""Thumbnails: upright, re-encoded JPEGs in the sizes of ``THUMBNAIL_SIZES``, stored by content hash.

Pages only ever show these, never the original. They are made from one
decode of the photo (the largest first, each smaller one from the previous),
and ``thumbnail_file`` re-creates any that is missing from the original, so
the ``thumbs/`` folder can always be thrown away and rebuilt.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from PIL import Image

from ..core.after_answer import after_answer
from . import storage
from .images import decode_photo, fit, upright
from .memory import reusing_pictures

#: size name -> longest side in pixels
THUMBNAIL_SIZES: dict[str, int] = {"small": 400, "large": 1600}
JPEG_QUALITY = 85
# The first step shrinks a draft decode by less than 2x, where Pillow's
# bilinear filter (a true, antialiased convolution when shrinking) looks the
# same as bicubic at 60% of its cost; the later, larger steps first reduce
# by whole factors (box averaging) and then resample what is left.
_RESAMPLING = [(Image.Resampling.BILINEAR, None), (Image.Resampling.BICUBIC, 2.0)]


def largest_side() -> int:
    return max(THUMBNAIL_SIZES.values())


def render(image: Image.Image, orientation: int | None) -> dict[str, bytes]:
    """JPEG bytes for every size, upright, from a decoded RGB/L image and its EXIF orientation.

    The largest size is resampled from the (draft-reduced) decode, then turned
    upright, and each smaller size is made from the previous one: one decode,
    and the rotation works on the smallest picture it can. Each picture is
    closed as soon as the next one is made from it, ``image`` included (the
    caller's decode, 12 MB for a 12 MP JPEG, is the largest of them): at most
    two pictures of a photo are in memory at once.
    """
    out: dict[str, bytes] = {}
    current = image
    for index, (name, longest) in enumerate(
            sorted(THUMBNAIL_SIZES.items(), key=lambda kv: -kv[1])):
        target = fit(current.size, longest)
        if target != current.size:
            resample, gap = _RESAMPLING[min(index, 1)]
            resized = (_resize_in_bands(current, target, resample) if gap is None
                       else current.resize(target, resample, reducing_gap=gap))
            current = _replace(current, resized)
        if index == 0:
            current = _replace(current, upright(current, orientation))
        buffer = io.BytesIO()
        current.save(buffer, "JPEG", quality=JPEG_QUALITY)
        out[name] = buffer.getvalue()
    current.close()
    return out


#: output rows resampled at a time by ``_resize_in_bands``
BAND_ROWS = 128


def _resize_in_bands(image: Image.Image, size: tuple[int, int], resample) -> Image.Image:
    """``image.resize(size, resample)`` a band of rows at a time, pasted into the result.

    Pillow resamples in two passes through a picture of the new width and the
    old height (9.6 MB for a 12 MP photo's draft); band by band it is 1/10 of
    that. Each band reads the source rows its filter needs beyond the band,
    so the result is the whole resize's (pixel values within 1 of it, from
    fixed-point rounding)."""
    width, height = size
    scale = image.height / height
    out = Image.new(image.mode, size)
    for top in range(0, height, BAND_ROWS):
        rows = min(BAND_ROWS, height - top)
        band = image.resize((width, rows), resample,
                            box=(0, top * scale, image.width, (top + rows) * scale))
        out.paste(band, (0, top))
        band.close()
    return out


def _replace(old: Image.Image, new: Image.Image) -> Image.Image:
    if new is not old:
        old.close()
    return new


@dataclass
class Picture:
    """A decoded photo kept for its thumbnails (``render``'s arguments)."""

    image: Image.Image
    orientation: int | None

    def close(self) -> None:
        self.image.close()


def render_after_answer(sha256: str, picture: Picture) -> None:
    """Render and store the thumbnails of a committed photo once the answer is sent
    (``core.after_answer``). If the worker dies first, ``thumbnail_file`` makes
    them from the original when they are first asked for."""
    def work() -> None:
        with reusing_pictures():
            store(sha256, render(picture.image, picture.orientation))

    after_answer(work)


def store(sha256: str, rendered: dict[str, bytes]) -> list[Path]:
    """Write the rendered thumbnails of the file with ``sha256``; returns the paths."""
    return [storage.write_atomic(storage.thumbnail_relpath(sha256, name), data)
            for name, data in rendered.items()]


def thumbnail_path(stored_file, size: str) -> Path:
    """Where the ``size`` thumbnail of ``stored_file`` is kept (it may not exist yet)."""
    return storage.upload_dir() / storage.thumbnail_relpath(stored_file.sha256, size)


class NoThumbnail(LookupError):
    """The stored file is not a photo (a paper has no thumbnail)."""


def thumbnail_file(stored_file, size: str) -> Path:
    """The JPEG thumbnail of ``stored_file`` in ``size``, re-created from the original if missing.

    Raises KeyError for an unknown size, NoThumbnail for a paper and
    FileNotFoundError if the original itself is gone.
    """
    if size not in THUMBNAIL_SIZES:
        raise KeyError(size)
    if stored_file.kind != "photo":
        raise NoThumbnail(stored_file.id)
    path = thumbnail_path(stored_file, size)
    if not path.exists():
        rebuild(stored_file)
    return path


def rebuild(stored_file) -> list[Path]:
    """Make every thumbnail of ``stored_file`` again from its original."""
    original = storage.original_path(stored_file)
    if not original.exists():
        raise FileNotFoundError(original)
    decoded = decode_photo(
        original, stored_file.mime_type, stored_file.original_name,
        # a limit lowered after the upload must not orphan an accepted photo
        max_pixels=max(current_app.config["MAX_IMAGE_PIXELS"],
                       (stored_file.width or 0) * (stored_file.height or 0)),
        longest_side=largest_side(),
    )
    try:
        return store(stored_file.sha256,
                     render(decoded.image, decoded.orientation(stored_file.orientation)))
    finally:
        decoded.image.close()
