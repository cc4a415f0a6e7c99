"""The SVG charts now live in `common.charts`; inspections/pdf.py still imports them from here."""

from common.charts import (
    BLUE,
    FONT,
    GREEN,
    GREY,
    LINE,
)  # temporary re-export for inspections/; removed once inspections imports common

__all__ = ["BLUE", "FONT", "GREEN", "GREY", "LINE"]
