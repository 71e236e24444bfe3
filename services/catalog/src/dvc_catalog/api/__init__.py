"""HTTP routes of the catalog: browse procedures and police units."""

from .routes import build_router

__all__ = ["build_router"]
