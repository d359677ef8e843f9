"""PDF pages as images (Debian's poppler-utils), and where ink lies near their edges."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from PIL import Image

PDFTOPPM = shutil.which("pdftoppm")
needs_poppler = pytest.mark.skipif(
    PDFTOPPM is None, reason="needs Debian's poppler-utils (pdftoppm): bash scripts/setup.sh --dev"
)
MM_PER_INCH = 25.4


def page_images(pdf: bytes, dpi: int = 50) -> list[Image.Image]:
    """Every page of the PDF rendered at ``dpi``, as RGB images."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "doc.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            [PDFTOPPM or "pdftoppm", "-r", str(dpi), "-png", str(source), str(Path(tmp) / "p")],
            check=True,
            capture_output=True,
            timeout=120,
        )
        pages = sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
        return [Image.open(p).convert("RGB") for p in pages]


def ink_near_edges(page: Image.Image, dpi: int, band_mm: float, inset_mm: float = 0.0) -> list[str]:
    """The sides ('top', 'right', 'bottom', 'left') with ink in a band ``band_mm`` wide,
    ``inset_mm`` in from the page's edge. Ink: any pixel darker than light grey."""
    px = lambda mm: round(mm * dpi / MM_PER_INCH)  # noqa: E731
    w, h = page.size
    a, b = px(inset_mm), px(inset_mm + band_mm)
    boxes = {
        "top": (0, a, w, b),
        "bottom": (0, h - b, w, h - a),
        "left": (a, 0, b, h),
        "right": (w - b, 0, w - a, h),
    }
    grey = page.convert("L")
    return [side for side, box in boxes.items() if grey.crop(box).getextrema()[0] < 235]


def inked_columns(page: Image.Image, dpi: int, band_mm: float, inset_mm: float) -> int:
    """How many pixel columns of the band ``band_mm`` wide, ``inset_mm`` in from the right
    edge, hold more than a few inked pixels. The lines of a box that ends there (a card's
    border: its top and bottom edges cross the band, its side fills one column) count for
    one or two; content cut off at that edge (a bar, a legend's words) fills every column."""
    px = lambda mm: round(mm * dpi / MM_PER_INCH)  # noqa: E731
    w, h = page.size
    band = page.convert("L").crop((w - px(inset_mm + band_mm), 0, w - px(inset_mm), h))
    width, height = band.size
    pixels = band.load()
    return sum(1 for x in range(width) if sum(1 for y in range(height) if pixels[x, y] < 235) > 6)
