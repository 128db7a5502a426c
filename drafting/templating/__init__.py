"""Sandboxed Jinja templating with Chinese filters: templates → 公文标记 text."""

from drafting.templating.environment import default_search_paths, make_environment, render_template
from drafting.templating.filters import FILTERS

__all__ = ["FILTERS", "default_search_paths", "make_environment", "render_template"]
