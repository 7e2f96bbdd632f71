"""RS256, RS384 and RS512 for PyJWT, on the pure-Python ``rsa`` package.

``rsa.sign`` computes one full-size ``pow(m, d, n)``. Signing here goes
through the Chinese Remainder Theorem instead (RFC 8017 section 5.1.2, step
2.b), two half-size exponentiations, about three times faster; the signature
is the same integer, so the bytes are identical. Where ``cryptography`` is
installed, OpenSSL may sign instead, again with identical bytes: PKCS #1 v1.5
signatures are deterministic.

The algorithms are registered on localjwt's own :class:`jwt.PyJWS`; PyJWT's
global registry is never touched.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any, Literal

import rsa
from jwt.algorithms import Algorithm, HMACAlgorithm
from jwt.api_jws import PyJWS

from .errors import KeyFormatError
from .keys import SigningKey, VerifyingKey, load_signing_key, load_verifying_key

__all__ = [
    "HASHES",
    "Backend",
    "ExternalSignatures",
    "RSAPKCS1Algorithm",
    "make_jws",
    "openssl_available",
    "sign_pkcs1",
    "verify_pkcs1",
]


class ExternalSignatures:
    """RS signatures made outside Python, such as by the page's WebCrypto.

    PKCS #1 v1.5 signatures are deterministic (RFC 8017 section 8.2), so a
    caller signs once to learn the signing inputs (each is recorded in
    ``missing`` and gets a placeholder), has them signed elsewhere, then signs
    the same claims again with the signatures ``given``. A given signature is
    used only after it verifies against the key; one that does not is
    replaced by a pure-Python signature, so a token is never wrong. With
    ``sign_missing``, inputs with no signature given are signed here too.
    """

    def __init__(
        self, given: Mapping[bytes, bytes] | None = None, *, sign_missing: bool = False
    ) -> None:
        self.given = dict(given or {})
        self.sign_missing = sign_missing
        self.missing: list[tuple[bytes, str]] = []

    def sign(self, message: bytes, key: rsa.PrivateKey, hash_name: str) -> bytes:
        """The given signature for ``message``, checked, or a placeholder."""
        signature = self.given.get(message)
        if signature is None and not self.sign_missing:
            self.missing.append((message, hash_name))
            return bytes((key.n.bit_length() + 7) // 8)
        public = rsa.PublicKey(key.n, key.e)
        if signature is not None and verify_pkcs1(
            message, signature, public, hash_name
        ):
            return signature
        return sign_pkcs1(message, key, hash_name)


Backend = Literal["auto", "pure", "openssl"] | ExternalSignatures

HASHES = {"RS256": "sha256", "RS384": "sha384", "RS512": "sha512"}

# DigestInfo prefixes from RFC 8017 section 9.2, note 1.
_DIGEST_INFO = {
    "sha256": bytes.fromhex("3031300d060960864801650304020105000420"),
    "sha384": bytes.fromhex("3041300d060960864801650304020205000430"),
    "sha512": bytes.fromhex("3051300d060960864801650304020305000440"),
}


def openssl_available() -> bool:
    """Whether ``cryptography`` (OpenSSL) can be imported here."""
    try:
        import cryptography.hazmat.primitives.asymmetric.rsa  # noqa: F401, PLC0415
    except ImportError:
        return False
    return True


def _encode(message: bytes, hash_name: str, size: int) -> int:
    """EMSA-PKCS1-v1_5 (RFC 8017 section 9.2) as the integer to exponentiate."""
    digest = hashlib.new(hash_name, message).digest()
    t = _DIGEST_INFO[hash_name] + digest
    if size < len(t) + 11:
        raise KeyFormatError(
            f"Expected a key of at least {(len(t) + 11) * 8} bits for {hash_name}, "
            f"found {size * 8} bits"
        )
    encoded = b"\x00\x01" + b"\xff" * (size - len(t) - 3) + b"\x00" + t
    return int.from_bytes(encoded, "big")


def sign_pkcs1(message: bytes, key: rsa.PrivateKey, hash_name: str) -> bytes:
    """RSASSA-PKCS1-v1_5 signature through the CRT, blinded.

    Blinding (multiplying by r^e first and by r^-1 after) keeps the timing of
    the exponentiations independent of the message. ``rsa`` keeps r per key
    and squares it on each use (Schindler, "A Timing Attack against RSA with
    the Chinese Remainder Theorem", section 9), which spares a modular
    inverse per signature. The final check against the public exponent
    refuses to release a faulty signature: a CRT fault would reveal a prime.
    """
    size = (key.n.bit_length() + 7) // 8
    m = _encode(message, hash_name, size)

    blinded, unblinding = key.blind(m)

    s1 = pow(blinded, key.exp1, key.p)
    s2 = pow(blinded, key.exp2, key.q)
    h = ((s1 - s2) * key.coef) % key.p
    s = key.unblind(s2 + key.q * h, unblinding)

    if pow(s, key.e, key.n) != m:
        raise ArithmeticError("the CRT signature did not verify; refusing to use it")
    return int(s).to_bytes(size, "big")


def verify_pkcs1(
    message: bytes, signature: bytes, key: rsa.PublicKey, hash_name: str
) -> bool:
    """RSASSA-PKCS1-v1_5 verification (RFC 8017 section 8.2.2).

    The whole encoded message is rebuilt and compared, never parsed, so no
    padding or DigestInfo variant can slip through.
    """
    n, e = key.n, key.e
    size = (n.bit_length() + 7) // 8
    if len(signature) != size:
        return False
    s = int.from_bytes(signature, "big")
    if s >= n:
        return False
    try:
        expected = _encode(message, hash_name, size)
    except KeyFormatError:
        return False
    return hmac.compare_digest(
        pow(s, e, n).to_bytes(size, "big"), expected.to_bytes(size, "big")
    )


class RSAPKCS1Algorithm(Algorithm):
    """A PyJWT algorithm for RS256/384/512 backed by ``rsa`` (or OpenSSL)."""

    def __init__(self, name: str, backend: Backend = "auto") -> None:
        self.name = name
        self.hash_name = HASHES[name]
        self.external = backend if isinstance(backend, ExternalSignatures) else None
        self.use_openssl = backend == "openssl" or (
            backend == "auto" and openssl_available()
        )
        # (our key, OpenSSL's key): holding ours keeps the pairing unambiguous.
        self._openssl_key: tuple[rsa.PrivateKey, Any] | None = None

    def prepare_key(self, key: Any) -> SigningKey | VerifyingKey:
        if isinstance(key, SigningKey | VerifyingKey):
            return key
        if isinstance(key, rsa.PrivateKey):
            return SigningKey(key, None, "rsa.PrivateKey")
        if isinstance(key, rsa.PublicKey):
            return VerifyingKey(key, None, "rsa.PublicKey")
        if isinstance(key, str | bytes):
            try:
                return load_signing_key(key)
            except KeyFormatError:
                return load_verifying_key(key)
        raise KeyFormatError(
            f"Expected an RSA key, found an object of type {type(key).__name__}",
            field="private_key",
        )

    def check_key_length(self, key: Any) -> str | None:
        # Short keys are warned about once, when loaded (keys.WeakKeyWarning),
        # not again on every signature as PyJWT would.
        return None

    def sign(self, msg: bytes, key: Any) -> bytes:
        if not isinstance(key, SigningKey):
            raise KeyFormatError("Expected an RSA private key, found a public key")
        if self.external is not None:
            return self.external.sign(msg, key.private_key, self.hash_name)
        if self.use_openssl:
            return self._sign_openssl(msg, key)
        return sign_pkcs1(msg, key.private_key, self.hash_name)

    def verify(self, msg: bytes, key: Any, sig: bytes) -> bool:
        if isinstance(key, SigningKey):
            key = key.verifying_key()
        if not isinstance(key, VerifyingKey):
            return False
        return verify_pkcs1(msg, sig, key.public_key, self.hash_name)

    @staticmethod
    def to_jwk(key_obj: Any, as_dict: bool = False) -> Any:
        from .export import to_jwk  # noqa: PLC0415 - only when asked for

        jwk = to_jwk(key_obj)
        return jwk if as_dict else json.dumps(jwk)

    @staticmethod
    def from_jwk(jwk: Any) -> Any:
        text = jwk if isinstance(jwk, str) else json.dumps(jwk)
        try:
            return load_signing_key(text)
        except KeyFormatError:
            return load_verifying_key(text)

    def _sign_openssl(self, msg: bytes, key: SigningKey) -> bytes:
        # Building OpenSSL's key object costs more than a signature, so it is
        # kept per key for the life of this algorithm object.
        from cryptography.hazmat.primitives import hashes  # noqa: PLC0415
        from cryptography.hazmat.primitives.asymmetric import (  # noqa: PLC0415
            padding,
        )
        from cryptography.hazmat.primitives.asymmetric import (  # noqa: PLC0415
            rsa as openssl_rsa,
        )

        k = key.private_key
        if self._openssl_key is None or self._openssl_key[0] is not k:
            public_numbers = openssl_rsa.RSAPublicNumbers(k.e, k.n)
            numbers = openssl_rsa.RSAPrivateNumbers(
                k.p, k.q, k.d, k.exp1, k.exp2, k.coef, public_numbers
            )
            self._openssl_key = (k, numbers.private_key())
        private = self._openssl_key[1]
        algorithm = getattr(hashes, self.hash_name.upper())()
        signature: bytes = private.sign(msg, padding.PKCS1v15(), algorithm)
        return signature


def make_jws(backend: Backend = "auto") -> PyJWS:
    """A PyJWS of localjwt's own with RS256/384/512 and HS256/384/512.

    Created with no algorithms, so PyJWT's defaults (which need cryptography
    for RS256) are never used, then filled in here.
    """
    jws = PyJWS(algorithms=[])
    for name in HASHES:
        jws.register_algorithm(name, RSAPKCS1Algorithm(name, backend))
    jws.register_algorithm("HS256", HMACAlgorithm(HMACAlgorithm.SHA256))
    jws.register_algorithm("HS384", HMACAlgorithm(HMACAlgorithm.SHA384))
    jws.register_algorithm("HS512", HMACAlgorithm(HMACAlgorithm.SHA512))
    return jws
