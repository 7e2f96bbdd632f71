"""Write keys out: PEM, JWK and Mux's base64-encoded PEM, and make test keys."""

from __future__ import annotations

import base64
import secrets
import textwrap
from typing import Any

import rsa

from . import der
from .keys import RSA_ENCRYPTION, SigningKey, VerifyingKey

__all__ = [
    "generate_test_key",
    "make_key_id",
    "private_pem",
    "private_pkcs8_der",
    "public_pem",
    "to_jwk",
    "to_mux_base64",
]

# Mux key IDs are 45 characters of letters and digits (MUX-TOKENS.md).
# AlgorithmIdentifier for rsaEncryption, parameters NULL (RFC 8017 appendix C).
_RSA_ALGORITHM = der.encode(
    der.SEQUENCE, der.encode_oid(RSA_ENCRYPTION) + der.encode(der.NULL, b"")
)
_KEY_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def _pem(label: str, body: bytes) -> str:
    lines = textwrap.wrap(base64.b64encode(body).decode("ascii"), 64)
    return "\n".join([f"-----BEGIN {label}-----", *lines, f"-----END {label}-----\n"])


def _pkcs1_der(key: SigningKey) -> bytes:
    """RSAPrivateKey (RFC 8017 appendix A.1.2) as DER."""
    k = key.private_key
    fields = (0, k.n, k.e, k.d, k.p, k.q, k.exp1, k.exp2, k.coef)
    body = b"".join(der.encode_integer(value) for value in fields)
    return der.encode(der.SEQUENCE, body)


def private_pem(key: SigningKey) -> str:
    """The private key as a PKCS #1 PEM (``BEGIN RSA PRIVATE KEY``), as Mux issues."""
    return _pem("RSA PRIVATE KEY", _pkcs1_der(key))


def private_pkcs8_der(key: SigningKey) -> bytes:
    """The private key as PKCS #8 DER (RFC 5208), the form WebCrypto imports."""
    body = der.encode_integer(0) + _RSA_ALGORITHM
    body += der.encode(der.OCTET_STRING, _pkcs1_der(key))
    return der.encode(der.SEQUENCE, body)


def public_pem(key: SigningKey | VerifyingKey) -> str:
    """The public key as an SPKI PEM (``BEGIN PUBLIC KEY``, RFC 5280)."""
    public = (key.verifying_key() if isinstance(key, SigningKey) else key).public_key
    rsa_public = der.encode(
        der.SEQUENCE, der.encode_integer(public.n) + der.encode_integer(public.e)
    )
    bit_string = der.encode(der.BIT_STRING, b"\x00" + rsa_public)
    return _pem("PUBLIC KEY", der.encode(der.SEQUENCE, _RSA_ALGORITHM + bit_string))


def to_mux_base64(key: SigningKey) -> str:
    """The private key the way Mux's API returns it: base64 of the PKCS #1 PEM."""
    return base64.b64encode(private_pem(key).encode("ascii")).decode("ascii")


def _b64url_int(value: int) -> str:
    raw = value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def to_jwk(key: SigningKey | VerifyingKey, *, private: bool = False) -> dict[str, Any]:
    """The key as an RSA JWK (RFC 7518 section 6.3); public unless asked."""
    if isinstance(key, SigningKey):
        k = key.private_key
        jwk: dict[str, Any] = {
            "kty": "RSA",
            "n": _b64url_int(k.n),
            "e": _b64url_int(k.e),
        }
        if private:
            members = {"d": k.d, "p": k.p, "q": k.q, "dp": k.exp1, "dq": k.exp2}
            jwk |= {name: _b64url_int(value) for name, value in members.items()}
            jwk["qi"] = _b64url_int(k.coef)
    else:
        public = key.public_key
        jwk = {"kty": "RSA", "n": _b64url_int(public.n), "e": _b64url_int(public.e)}
    jwk |= {"alg": "RS256", "use": "sig"}
    if key.key_id:
        jwk["kid"] = key.key_id
    return jwk


def make_key_id() -> str:
    """A made-up key ID shaped like Mux's: 45 letters and digits."""
    return "".join(secrets.choice(_KEY_ID_ALPHABET) for _ in range(45))


def generate_test_key(bits: int = 2048) -> SigningKey:
    """A throwaway key-pair with a made-up Mux-style key ID, for trying things.

    Uses OpenSSL when ``cryptography`` is installed (milliseconds), else
    ``rsa.newkeys`` (seconds in pure Python).
    """
    key_id = make_key_id()
    try:
        from cryptography.hazmat.primitives.asymmetric import (  # noqa: PLC0415
            rsa as openssl_rsa,
        )
    except ImportError:
        _, private = rsa.newkeys(bits, accurate=True)
    else:
        numbers = openssl_rsa.generate_private_key(65537, bits).private_numbers()
        public = numbers.public_numbers
        private = rsa.PrivateKey(public.n, public.e, numbers.d, numbers.p, numbers.q)
    return SigningKey(private, key_id, "generated test key")
