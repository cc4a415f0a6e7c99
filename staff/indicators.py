"""The staff app's indicators, found by `reports.registry.autodiscover()`; each group of them
lives in a module of its own, imported here so that it registers."""

from . import indicators_development  # noqa: F401
