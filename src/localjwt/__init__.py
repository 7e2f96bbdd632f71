"""localjwt: sign Mux and other RS256 JSON Web Tokens with keys kept local."""

__version__ = "0.1.0"
