"""Stands in for PyJWT's ``jwt.jwks_client`` in the offline page.

The real module fetches key sets over HTTPS, which the page's policy forbids,
and importing it loads urllib.request, http.client, email and ssl (about a
fifth of start-up from source, shared/PYODIDE-NOTES.md). ``import jwt`` runs
``jwt/__init__.py``, which imports ``PyJWKClient`` from here, so the build puts
this file in the place of the original and the trimmed stdlib can leave those
modules out. localjwt never uses the client.
"""

from .exceptions import PyJWKClientError

__all__ = ["PyJWKClient"]


class PyJWKClient:
    """Always raises: the page cannot reach a JWKS endpoint."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise PyJWKClientError(
            "PyJWKClient is not available in the offline page, which makes no "
            "network requests"
        )
