"""HTTP routes of the catalog: browse procedures and police units."""

from .errors import install_error_handlers
from .routes import build_router

__all__ = ["build_router", "install_error_handlers"]
