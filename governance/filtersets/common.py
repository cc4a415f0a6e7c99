"""The choices the governance filters share, limited to what the user may see."""

from safety.filtersets.common import visible_kindergartens, visible_subdistricts

__all__ = ["visible_kindergartens", "visible_subdistricts"]
