"""Chart images for the briefing: the dashboard's figures, in the briefing's language, as PNG."""

from __future__ import annotations

import logging

import plotly.graph_objects as go

from intl_metrics import export
from intl_metrics.briefing.model import Image
from intl_metrics.i18n import Translator

__all__ = ["CHART_WIDTH", "IMAGE_SCALE", "MAP_HEIGHT", "MAP_WIDTH", "ChartImages", "localised"]

log = logging.getLogger(__name__)

# Print sizes of the chart images: drawn at about the width they are printed at (a
# 174 mm text column), so their 14-16 px labels read as 9-10 pt, and 3x for sharpness.
CHART_WIDTH = 820
MAP_WIDTH = 980
MAP_HEIGHT = 600
IMAGE_SCALE = 2.5  # ~300 dpi at print width: sharp, and a third fewer pixels than 3x


def localised(fig: go.Figure, t: Translator, field: str | None = None) -> go.Figure:
    """The builder's figure (drawn in the briefing's language) without its title block:
    the heading above the image carries the title and the period."""
    del t, field  # the builders draw in the language they are given
    out = go.Figure(fig)  # a copy: the builder's figure may be cached and shown elsewhere
    out.layout.title.text = ""
    out.layout.title.subtitle.text = ""
    out.layout.margin.t = 16
    return out


class ChartImages:
    """Chart images through Kaleido; when static export is not available, none, said once."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.failed = False

    def png(self, fig: go.Figure, width: int, height: int) -> bytes | None:
        if not self.enabled or self.failed:
            return None
        try:
            return export.figure_bytes(fig, "png", scale=IMAGE_SCALE, width=width, height=height)
        except Exception:  # no chromium, a crashed browser: the tables still say it all
            log.warning("chart images are not available for the briefing", exc_info=True)
            self.failed = True
            return None

    def image(
        self,
        fig: go.Figure,
        t: Translator,
        *,
        field: str | None,
        alt: str,
        caption: str = "",
        width: int = CHART_WIDTH,
        height: int | None = None,
        scale: float = 1.0,
    ) -> Image | None:
        local = localised(fig, t, field)
        if height is None:  # the builder's height less the title block it no longer has
            height = max(260, int(fig.layout.height or 460) - int(fig.layout.margin.t or 0) + 16)
        # printed at ``scale`` of the column: drawn that much narrower, so its text keeps
        # the size of the other charts' text
        width = round(width * scale)
        png = self.png(local, width, height)
        if png is None:
            return None
        return Image(png, width, height, alt, caption, scale)
