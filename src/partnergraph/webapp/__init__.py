"""The Flask application: one blueprint per area, thin views over the core."""

from partnergraph.webapp.app import create_app

__all__ = ["create_app"]
