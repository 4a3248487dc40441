"""Images with Pillow: safe opening and checking, thumbnails. No Qt.

Scanned photos come from librarians' folders: anything may be there. `check_image` refuses
what is not a regular file, what is larger than `MAX_FILE_BYTES`, what Pillow cannot read,
decompression bombs (more than `MAX_PIXELS`: an error, not Pillow's warning) and truncated
files (the whole image is decoded once, at attach time) with a clear message. Files are
hashed and copied in a stream; thumbnails decode no more than they need (JPEG draft mode
scales while decoding, other formats reduce while decoding).
"""

from __future__ import annotations

import hashlib
import os
import stat
import warnings
from pathlib import Path

from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from sipviewer.model.errors import InputError
from sipviewer.model.files import regular_file

MAX_PIXELS = 200_000_000  # a 14,000 × 14,000 scan; more is refused as a bomb
MAX_FILE_BYTES = 512 * 1024 * 1024  # larger is not a scanned photo
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
ImageFile.LOAD_TRUNCATED_IMAGES = False
EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "TIFF": ".tif", "WEBP": ".webp", "BMP": ".bmp",
              "GIF": ".gif"}
BUFFER = 1024 * 1024


def _open_regular(path: Path):  # type: ignore[no-untyped-def]
    """Open without following into a FIFO or device swapped in after the check."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    fh = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        fh.close()
        raise InputError(path, "not a regular file (a device or a pipe)")
    return fh


def check_image(path: Path) -> str:
    """The file extension for a readable image, or `InputError` naming the problem.

    The whole image is decoded here (truncated or damaged data fails now, not later in a
    thumbnail), within the pixel limit."""
    regular_file(path, MAX_FILE_BYTES, "image file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with _open_regular(path) as fh, Image.open(fh) as im:
                fmt = im.format or ""
                w, h = im.size
                if w * h > MAX_PIXELS:
                    raise Image.DecompressionBombError("too many pixels")
                im.load()  # a full decode: truncated JPEG/PNG fail here
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputError(path, f"image too large (more than {MAX_PIXELS // 1_000_000} "
                               "megapixels)") from None
    except UnidentifiedImageError:
        raise InputError(path, "not a readable image (not an image file, or of a format "
                               "that cannot be read)") from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise InputError(path, "not a readable image (damaged or incomplete image data)") \
            from None
    if fmt not in EXTENSIONS:
        raise InputError(path, f"unsupported image format {fmt or 'unknown'}")
    return EXTENSIONS[fmt]


def file_digest(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    """SHA-256 of a regular file, read in a stream."""
    regular_file(path, limit)
    h = hashlib.sha256()
    with _open_regular(path) as fh:
        while chunk := fh.read(BUFFER):
            h.update(chunk)
    return h.hexdigest()


def store_image(src: Path, folder: Path, ext: str) -> str:
    """Copy ``src`` into ``folder`` under its content hash (hashing while copying, in a
    stream); returns the hash. A failure (disk full) leaves no partial file."""
    folder.mkdir(parents=True, exist_ok=True)
    h = hashlib.sha256()
    tmp = folder / f".incoming-{os.getpid()}{ext}.part"
    try:
        with _open_regular(src) as fh, open(tmp, "wb") as out:
            while chunk := fh.read(BUFFER):
                h.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        digest = h.hexdigest()
        target = folder / f"{digest}{ext}"
        if target.exists():
            tmp.unlink()
        else:
            tmp.replace(target)
        return digest
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def thumbnail(src: Path, cache_dir: Path, size: int = 256) -> Path:
    """A JPEG thumbnail of ``src`` in ``cache_dir`` (made once, keyed by content and size)."""
    digest = file_digest(src)[:24]
    target = cache_dir / f"{digest}-{size}.jpg"
    if target.exists():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".{os.getpid()}.part")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with _open_regular(src) as fh, Image.open(fh) as im:
                if im.size[0] * im.size[1] > MAX_PIXELS:
                    raise Image.DecompressionBombError("too many pixels")
                # decode no more than the thumbnail needs: JPEG scales by 1/2…1/8 while
                # decoding; `thumbnail` reduces other formats while decoding too
                im.draft("RGB", (size, size))
                im.thumbnail((size, size), reducing_gap=2.0)
                small: Image.Image = ImageOps.exif_transpose(im)
                if small.mode not in ("RGB", "L"):
                    small = small.convert("RGB")
                small.save(tmp, "JPEG", quality=85)
        tmp.replace(target)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        tmp.unlink(missing_ok=True)
        raise InputError(src, "cannot make a thumbnail (the image is damaged, too large or "
                              "not an image)") from None
    return target
