"""localjwt: sign Mux and other RS256 JSON Web Tokens with keys kept local.

    >>> from localjwt import Signer
    >>> signer = Signer(os.environ["MUX_PRIVATE_KEY"], os.environ["MUX_SIGNING_KEY"])
    >>> signer.sign("PLAYBACK_ID", "thumbnail", params={"time": 12}).url

The same code runs on CPython (the command line, servers) and in Pyodide (the
offline page).
"""

from .errors import (
    ClaimsError,
    ExpiryError,
    KeyFormatError,
    LocalJWTError,
    ParameterError,
    TokenFormatError,
)
from .keys import (
    SigningKey,
    VerifyingKey,
    WeakKeyWarning,
    load_signing_key,
    load_verifying_key,
)
from .mux import TOKEN_TYPES, UnknownParameterWarning, token_type
from .tokens import PlayerBundle, SignedToken, Signer, sign_playback_id

__version__ = "0.1.0"

__all__ = [
    "TOKEN_TYPES",
    "ClaimsError",
    "ExpiryError",
    "KeyFormatError",
    "LocalJWTError",
    "ParameterError",
    "PlayerBundle",
    "SignedToken",
    "Signer",
    "SigningKey",
    "TokenFormatError",
    "UnknownParameterWarning",
    "VerifyingKey",
    "WeakKeyWarning",
    "__version__",
    "load_signing_key",
    "load_verifying_key",
    "sign_playback_id",
    "token_type",
]
