"""Images with Pillow: safe opening and checking, thumbnails. No Qt.

Scanned photos come from librarians' folders: anything may be there. `check_image` refuses
what Pillow cannot read, decompression bombs and non-image files with a clear message.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from sipviewer.model.errors import InputError

Image.MAX_IMAGE_PIXELS = 200_000_000  # a 14,000 × 14,000 scan; more is refused as a bomb
EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "TIFF": ".tif", "WEBP": ".webp", "BMP": ".bmp",
              "GIF": ".gif"}


def check_image(path: Path) -> str:
    """The file extension for a readable image, or `InputError` naming the problem."""
    if not path.exists():
        raise InputError(path, "no such file")
    try:
        with Image.open(path) as im:
            fmt = im.format or ""
            im.verify()
        with Image.open(path) as im:  # verify() reads no pixels: a truncated scan passes it
            im.load()
    except Image.DecompressionBombError:
        raise InputError(path, "image too large (more than 200 megapixels)") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InputError(path, f"not a readable image ({exc.__class__.__name__})") from None
    if fmt not in EXTENSIONS:
        raise InputError(path, f"unsupported image format {fmt or 'unknown'}")
    return EXTENSIONS[fmt]


def thumbnail(src: Path, cache_dir: Path, size: int = 256) -> Path:
    """A JPEG thumbnail of ``src`` in ``cache_dir`` (made once, keyed by content and size)."""
    digest = hashlib.sha256(src.read_bytes()).hexdigest()[:24]
    target = cache_dir / f"{digest}-{size}.jpg"
    if target.exists():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    try:
        with Image.open(src) as im:
            im = ImageOps.exif_transpose(im)
            im.thumbnail((size, size))
            if im.mode not in ("RGB", "L"):
                im = im.convert("RGB")
            tmp = target.with_suffix(".part")
            im.save(tmp, "JPEG", quality=85)
            tmp.replace(target)
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise InputError(src, f"cannot make a thumbnail ({exc.__class__.__name__})") from None
    return target
