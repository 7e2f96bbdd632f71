"""Test keys in every form people paste them in, and the tests' fixed clock.

Every key is generated fresh by ``cryptography`` (OpenSSL), so no test depends
on key material checked into the repository.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import cached_property

import rsa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa as openssl_rsa

from localjwt.keys import SigningKey

# A fixed "now" (2026-01-01 00:00 UTC) keeps every exp in the tests exact.
NOW = 1_767_225_600

# A Mux-style signing key ID: 45 letters and digits.
KEY_ID = "PT74yy9024fVaJjZJaGsHY01XFzoBtWazx4s6S7AkNri4"

_NO_PASSWORD = serialization.NoEncryption()


@dataclass(frozen=True)
class KeyForms:
    """One OpenSSL key and the forms people paste it in."""

    openssl: openssl_rsa.RSAPrivateKey

    @cached_property
    def numbers(self) -> tuple[int, int, int, int, int]:
        """(n, e, d, p, q), as OpenSSL has them."""
        private = self.openssl.private_numbers()
        public = private.public_numbers
        return (public.n, public.e, private.d, private.p, private.q)

    @cached_property
    def pkcs1_pem(self) -> str:
        """``BEGIN RSA PRIVATE KEY``, the form Mux issues."""
        return self._private(serialization.PrivateFormat.TraditionalOpenSSL)

    @cached_property
    def pkcs8_pem(self) -> str:
        """``BEGIN PRIVATE KEY``."""
        return self._private(serialization.PrivateFormat.PKCS8)

    @cached_property
    def mux_base64(self) -> str:
        """The PKCS #1 PEM base64-encoded, as Mux's API returns ``private_key``."""
        return base64.b64encode(self.pkcs1_pem.encode("ascii")).decode("ascii")

    @cached_property
    def pkcs1_der(self) -> bytes:
        """The PKCS #1 private key as DER."""
        return self.openssl.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.TraditionalOpenSSL,
            _NO_PASSWORD,
        )

    @cached_property
    def pkcs8_der(self) -> bytes:
        """The PKCS #8 private key as DER."""
        return self.openssl.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, _NO_PASSWORD
        )

    @cached_property
    def spki_pem(self) -> str:
        """The public key, ``BEGIN PUBLIC KEY``."""
        return self._public(
            serialization.Encoding.PEM,
            serialization.PublicFormat.SubjectPublicKeyInfo,
        ).decode("ascii")

    @cached_property
    def spki_der(self) -> bytes:
        """The public key as SPKI DER."""
        return self._public(
            serialization.Encoding.DER,
            serialization.PublicFormat.SubjectPublicKeyInfo,
        )

    @cached_property
    def rsa_private_key(self) -> rsa.PrivateKey:
        """The same key as python-rsa holds it."""
        n, e, d, p, q = self.numbers
        return rsa.PrivateKey(n, e, d, p, q)

    @cached_property
    def signing_key(self) -> SigningKey:
        """The same key as localjwt holds it, with :data:`KEY_ID`."""
        return SigningKey(self.rsa_private_key, KEY_ID, "test key")

    def secret_windows(self, width: int = 16) -> set[str]:
        """Every ``width``-character run of the key's base64 forms.

        A message containing any of these would be repeating key material.
        """
        texts = [
            "".join(self.pkcs1_pem.splitlines()[1:-1]),
            "".join(self.pkcs8_pem.splitlines()[1:-1]),
            self.mux_base64,
        ]
        return {
            text[start : start + width]
            for text in texts
            for start in range(len(text) - width + 1)
        }

    def _private(self, form: serialization.PrivateFormat) -> str:
        pem = self.openssl.private_bytes(serialization.Encoding.PEM, form, _NO_PASSWORD)
        return pem.decode("ascii")

    def _public(
        self, encoding: serialization.Encoding, form: serialization.PublicFormat
    ) -> bytes:
        return self.openssl.public_key().public_bytes(encoding, form)


def make_key(bits: int = 2048) -> KeyForms:
    """A new OpenSSL key of ``bits`` bits, with its pasted forms."""
    return KeyForms(openssl_rsa.generate_private_key(65537, bits))
