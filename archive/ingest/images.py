"""Open, check and decode a photo once, for both its checks and its thumbnails.

The checks Pillow's ``verify()`` misses: a truncated JPEG is only found by a
full decode (``load()``), and a picture with data appended after its end
(say, an HTML page) passes both, so ``ends`` walks the file's structure and
it is refused here. The archive's own pixel limit is checked from the header,
before any pixel is decoded. JPEGs are decoded in draft mode, straight at the
smallest scale that still covers the largest thumbnail, which is what keeps a
12-megapixel upload fast and small.

HEIC/HEIF is opened through pillow-heif's Pillow plugin (libheif). libheif
applies the HEIF's own rotation and mirroring (``irot``/``imir``), which the
HEIF standard makes the authority, and pillow-heif sets the EXIF orientation
it hands over to 1: the decode is already upright (``DecodedPhoto.upright``).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from struct import error as struct_error

from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError

from ..core.refusal import Refused
from . import ends
from .quiet import quiet_warnings


_FORMATS = {"image/jpeg": {"JPEG", "MPO"}, "image/png": {"PNG"},
            "image/heic": {"HEIF"}, "image/heif": {"HEIF"}}
#: most bytes handed to Pillow's decoder per call (a bigger file takes several calls)
DECODE_BLOCK_CAP = 32 * 1024 * 1024
#: how much of a file's end is read to find its end marker (and padding after it)
_TAIL_BYTES = 64 * 1024
# Orientation (EXIF 1-8) to the transposition that makes the picture upright,
# the same table as Pillow's ImageOps.exif_transpose.
_TRANSPOSE = {
    2: [Image.Transpose.FLIP_LEFT_RIGHT], 3: [Image.Transpose.ROTATE_180],
    4: [Image.Transpose.FLIP_TOP_BOTTOM], 5: [Image.Transpose.TRANSPOSE],
    6: [Image.Transpose.ROTATE_270], 7: [Image.Transpose.TRANSVERSE],
    8: [Image.Transpose.ROTATE_90],
}


@dataclass
class DecodedPhoto:
    #: decoded, RGB or L, possibly reduced by draft mode; not yet turned upright (but see ``upright``)
    image: Image.Image
    #: the original's pixel size as stored (before any rotation)
    width: int
    height: int
    #: the raw EXIF block (``Exif\0\0`` + TIFF) if the file has one
    exif_block: bytes | None
    #: already turned upright by the decoder (HEIF): the EXIF orientation must not apply again
    upright: bool = False

    def orientation(self, exif_orientation: int | None) -> int | None:
        """The orientation still to apply to ``image``."""
        return None if self.upright else exif_orientation


HEIF_TYPES = ("image/heic", "image/heif")


@cache
def open_heif() -> None:
    """Teach Pillow to open HEIC/HEIF, when the first one comes (pillow-heif and
    libheif are ~7 MiB a worker need not hold before): only the main picture,
    no embedded thumbnails, depth or auxiliary images."""
    import pillow_heif

    pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)


def fit(size: tuple[int, int], longest: int) -> tuple[int, int]:
    """``size`` scaled down (never up) so that its longer side is at most ``longest``."""
    w, h = size
    scale = min(1.0, longest / max(w, h))
    return max(1, round(w * scale)), max(1, round(h * scale))


def decode_photo(path: Path, mime_type: str, filename: str, *, max_pixels: int,
                 longest_side: int) -> DecodedPhoto:
    """Open and fully decode the photo at ``path`` (not yet upright), or raise ``Refused``."""
    if mime_type in HEIF_TYPES:
        open_heif()
    # Pillow warns (DecompressionBombWarning, malformed MPO) where the archive
    # decides for itself; warnings must not turn a good photo into an error.
    with quiet_warnings():
        try:
            image = Image.open(path)
        except Image.DecompressionBombError:
            raise _too_many_pixels(filename, None, max_pixels) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as err:
            raise _damaged(filename) from err
        try:
            if image.format not in _FORMATS.get(mime_type, ()):
                raise _damaged(filename)
            width, height = image.size
            if width < 1 or height < 1:
                raise _damaged(filename)
            if width * height > max_pixels:
                raise _too_many_pixels(filename, width * height, max_pixels)
            if mime_type != "image/jpeg":
                _check_end(path, filename, mime_type)
            exif_block = image.info.get("exif")
            if image.format in ("JPEG", "MPO"):
                image.draft("RGB", fit((width, height), longest_side))
            # Hand the decoder the whole file in one call rather than 64 KiB at
            # a time: each call gives up the GIL and must win it back, and in the
            # pipeline's worker every such hand-over waits for the request
            # thread's Python code (up to the 5 ms switch interval).
            image.decodermaxblock = max(image.decodermaxblock, _file_size(path, DECODE_BLOCK_CAP))
            try:
                image.load()
            except (OSError, SyntaxError, ValueError, EOFError, IndexError, struct_error) as err:
                raise _damaged(filename) from err
            if mime_type == "image/jpeg":
                # After the decode: a truncated JPEG has no end marker either,
                # and it is damaged, not followed by something else.
                _check_end(path, filename, mime_type)
            try:
                converted = _to_rgb(image)
            except (OSError, ValueError) as err:  # a mode JPEG thumbnails cannot be made from
                raise _damaged(filename) from err
            if converted is not image:
                image.close()  # an MPO keeps its file open for the other frames
                image = converted
        except BaseException:
            image.close()
            raise
    return DecodedPhoto(image, width, height, exif_block if isinstance(exif_block, bytes) else None,
                        upright=mime_type in HEIF_TYPES)


def _file_size(path: Path, cap: int) -> int:
    try:
        return min(path.stat().st_size, cap)
    except OSError:
        return 0


def _damaged(filename: str) -> Refused:
    return Refused(
        _l("Gambar %(name)s rusak atau terpotong sehingga tidak dapat dibaca.", name=filename), 422
    )


def _too_many_pixels(filename: str, pixels: int | None, limit: int) -> Refused:
    return Refused(
        _l("Gambar %(name)s terlalu besar: %(pixels)s megapiksel, batasnya %(limit)s megapiksel.",
          name=filename, pixels=f"{pixels / 1e6:.1f}" if pixels else "> 170",
          limit=f"{limit / 1e6:g}"),
        413,
    )


def _check_end(path: Path, filename: str, mime_type: str) -> None:
    """Refuse a file that goes on after its picture ends (see ``ends``): data
    appended after the picture (an HTML page, a script) would be served back
    byte for byte. NUL padding after a JPEG's end, which some cameras write,
    is allowed."""
    try:
        ends.check_end(path, mime_type)
    except ends.CutShort:
        raise _damaged(filename) from None
    except ends.Unwalkable:
        # A structure the walker does not follow but the decoder accepted:
        # at least the file must end with the format's end marker.
        _refuse_unless_tail(path, filename, mime_type)
    except ends.Trailing:
        raise _trailing(filename, mime_type) from None


def _refuse_unless_tail(path: Path, filename: str, mime_type: str) -> None:
    end = {"image/jpeg": b"\xff\xd9", "image/png": b"\x00\x00\x00\x00IEND\xaeB`\x82"}.get(mime_type)
    if end is None:
        raise _damaged(filename)
    with open(path, "rb") as fh:
        size = fh.seek(0, 2)
        fh.seek(max(0, size - _TAIL_BYTES))
        tail = fh.read()
    if not tail.rstrip(b"\x00").endswith(end):
        raise _trailing(filename, mime_type)


def _trailing(filename: str, mime_type: str) -> Refused:
    kind = {"image/jpeg": "JPEG", "image/png": "PNG"}.get(mime_type, "HEIC")
    return Refused(
        _l("Berkas %(name)s berisi data tambahan setelah akhir gambar %(kind)s, "
           "jadi ditolak demi keamanan. Simpan ulang gambarnya lalu unggah lagi.",
           name=filename, kind=kind),
        422,
    )


def upright(image: Image.Image, orientation: int | None) -> Image.Image:
    """The image turned the way EXIF ``orientation`` says (what ImageOps.exif_transpose does).

    The orientation comes from exifread, already read and guarded, rather
    than from Pillow's second parse of the same EXIF block; and the caller
    turns the first, smaller thumbnail instead of the full decode.
    """
    for method in _TRANSPOSE.get(orientation or 1, []):
        image = image.transpose(method)
    return image


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGB", "L"):
        return image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode.startswith("I"):
        # 16-bit PNG: scale to 8 bits before JPEG can hold it.
        return image.point(lambda v: v / 256).convert("L")
    return image.convert("RGB")

