"""Turn whatever a person pastes into an RSA key that can sign or verify.

Mux's signing-key API returns the private key as a base64-encoded PEM
(PKCS #1). People paste it as that string, as the decoded PEM (PKCS #1 or
PKCS #8), as a PEM with literal ``\\n`` escapes from a ``.env`` file, with
quotes or stray spaces, as a JWK, or as the whole JSON body of the API
response. :func:`load_signing_key` accepts all of them and says plainly what
it found when it cannot use the text. No message ever repeats the key.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import warnings
from dataclasses import dataclass
from typing import Any

import rsa

from . import der
from .errors import KeyFormatError

__all__ = [
    "SigningKey",
    "VerifyingKey",
    "WeakKeyWarning",
    "load_signing_key",
    "load_verifying_key",
]

RSA_ENCRYPTION = "1.2.840.113549.1.1.1"

# Key types that are not RSA, by algorithm OID (RFC 5480, RFC 8410, RFC 3279,
# RFC 4055), so the error can say what the key is.
_OTHER_ALGORITHMS = {
    "1.2.840.10045.2.1": "an EC key",
    "1.3.101.112": "an Ed25519 key",
    "1.3.101.113": "an Ed448 key",
    "1.3.101.110": "an X25519 key",
    "1.3.101.111": "an X448 key",
    "1.2.840.10040.4.1": "a DSA key",
    "1.2.840.113549.1.1.10": "an RSASSA-PSS key, which RS256 may not use",
}
_OTHER_PEM_LABELS = {
    "EC PRIVATE KEY": "an EC key",
    "DSA PRIVATE KEY": "a DSA key",
    "ENCRYPTED PRIVATE KEY": "an encrypted private key",
    "CERTIFICATE": "a certificate",
    "CERTIFICATE REQUEST": "a certificate request",
    "OPENSSH PRIVATE KEY": "an OpenSSH private key",
}
_HINTS = {
    "an encrypted private key": "decrypt it first: openssl pkey -in key.pem",
    "an OpenSSH private key": "convert it first: ssh-keygen -p -m PEM -f FILE",
    "a public key": "paste the private key Mux showed when the signing key was made",
}
# The PEM labels of RSA keys (RFC 7468), and the form each names.
_PEM_FORMS = {
    "RSA PRIVATE KEY": "PKCS #1",
    "PRIVATE KEY": "PKCS #8",
    "RSA PUBLIC KEY": "PKCS #1 public key",
    "PUBLIC KEY": "SPKI public key",
}
_MINIMUM_BITS = 512
_RECOMMENDED_BITS = 2048

_PEM_BLOCK = re.compile(
    r"-----BEGIN ([A-Z0-9 ]+)-----(.*?)(?:-----END \1-----|\Z)", re.S
)
_ASSIGNMENT = re.compile(r"^(?:export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*[=:]\s*(?=\S{16})")
_BASE64 = re.compile(r"^[A-Za-z0-9+/_-]+={0,2}$")


class WeakKeyWarning(UserWarning):
    """Warned when a key is shorter than the 2048 bits RS256 requires."""


@dataclass(frozen=True)
class VerifyingKey:
    """An RSA public key, with the key ID when the pasted text carried one."""

    public_key: rsa.PublicKey
    key_id: str | None
    form: str

    @property
    def bits(self) -> int:
        """The modulus length in bits."""
        return int(self.public_key.n.bit_length())


@dataclass(frozen=True)
class SigningKey:
    """An RSA private key ready to sign, and where it came from.

    ``key_id`` is set when the text held one (Mux's API JSON, a JWK ``kid``);
    ``form`` names the form that was recognised, for people to read.
    """

    private_key: rsa.PrivateKey
    key_id: str | None
    form: str

    @property
    def bits(self) -> int:
        """The modulus length in bits."""
        return int(self.private_key.n.bit_length())

    def verifying_key(self) -> VerifyingKey:
        """The matching public key."""
        public = rsa.PublicKey(self.private_key.n, self.private_key.e)
        return VerifyingKey(public, self.key_id, self.form)


@dataclass(frozen=True)
class _Numbers:
    """RSA numbers as found, before they are checked."""

    n: int
    e: int
    d: int | None = None
    p: int | None = None
    q: int | None = None


@dataclass(frozen=True)
class _Found:
    numbers: _Numbers
    key_id: str | None
    form: str


def load_signing_key(text: str | bytes, *, key_id: str | None = None) -> SigningKey:
    """Parse a pasted RSA private key in any form people paste it in.

    ``key_id`` is used when the text itself carries none. Raises
    :class:`KeyFormatError` for anything that is not a usable private key;
    warns :class:`WeakKeyWarning` for keys under 2048 bits.
    """
    found = _find_key(text)
    numbers = found.numbers
    if numbers.d is None:
        raise _error("an RSA private key", "a public key")
    _check_sizes(numbers.n, numbers.e, numbers.d)
    p, q = (numbers.p, numbers.q)
    if p is None or q is None:
        p, q = _recover_primes(numbers.n, numbers.e, numbers.d)
    _check(numbers.n, numbers.e, numbers.d, p, q)
    private_key = rsa.PrivateKey(numbers.n, numbers.e, numbers.d, p, q)
    _warn_if_weak(numbers.n)
    return SigningKey(private_key, found.key_id or key_id, found.form)


def load_verifying_key(text: str | bytes) -> VerifyingKey:
    """Parse a pasted RSA public key, or a private key to take the public part of.

    Accepts what :func:`load_signing_key` accepts, plus public keys as PEM
    (``PUBLIC KEY``, ``RSA PUBLIC KEY``), base64 DER or JWK.
    """
    found = _find_key(text, wanted="an RSA public or private key")
    numbers = found.numbers
    if numbers.e < 3 or numbers.n.bit_length() < _MINIMUM_BITS:
        raise _error("an RSA public key", "a key too short to check a signature")
    return VerifyingKey(rsa.PublicKey(numbers.n, numbers.e), found.key_id, found.form)


def _find_key(text: str | bytes, *, wanted: str = "an RSA private key") -> _Found:
    """Recognise the form of ``text`` and read the RSA numbers from it."""
    if isinstance(text, bytes):
        if text[:1] == b"\x30":
            return _Found(_from_der(text, wanted), None, "DER")
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise _error(wanted, "bytes that are neither text nor DER") from None
    cleaned = _clean(text)
    if not cleaned:
        raise _error(wanted, "nothing")
    if cleaned.startswith("{"):
        return _from_json(cleaned, wanted)
    if len(cleaned) <= 64 and cleaned.isalnum():
        found = (
            f"a short ID of {len(cleaned)} characters, like a signing key ID "
            "rather than the key itself"
        )
        raise _error(wanted, found)
    if "-----BEGIN" in cleaned:
        numbers, label = _from_pem(cleaned, wanted)
        return _Found(numbers, None, f"PEM ({label})")
    compact = re.sub(r"\s+", "", cleaned)
    if _BASE64.match(compact):
        return _from_base64(compact, wanted)
    raise _error(wanted, _describe_text(cleaned))


def _clean(text: str) -> str:
    """Undo what copying a key through a shell, a .env file or JSON does to it."""
    text = text.strip().rstrip(",;").strip()
    text = _ASSIGNMENT.sub("", text, count=1)
    while len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'`":
        text = text[1:-1].strip()
    if "{" not in text[:1]:
        # A PEM kept on one line of a .env file: its newlines written as \n.
        text = text.replace("\\r\\n", "\n").replace("\\n", "\n").replace("\\/", "/")
    return text


def _describe_text(text: str) -> str:
    """Say what unusable text looks like, without repeating it."""
    if text.count(".") == 2 and text.startswith("eyJ"):
        return "a JWT, not a key"
    return (
        f"text of {len(text)} characters that is none of PEM, base64-encoded PEM or JWK"
    )


def _from_json(text: str, wanted: str) -> _Found:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        found = f"JSON that does not parse (line {error.lineno}, column {error.colno})"
        raise _error(wanted, found) from None
    except RecursionError:
        raise _error(wanted, "JSON nested too deeply") from None
    if not isinstance(document, dict):
        raise _error(wanted, "JSON that is not an object")
    # Mux's signing-key API: {"data": {"id": ..., "private_key": ...}}.
    body = document.get("data", document)
    if isinstance(body, dict) and isinstance(body.get("private_key"), str):
        key_id = body.get("id") if isinstance(body.get("id"), str) else None
        inner = _find_key(body["private_key"], wanted=wanted)
        return _Found(inner.numbers, key_id or inner.key_id, "Mux signing-key JSON")
    if isinstance(document.get("keys"), list):
        keys = document["keys"]
        if len(keys) != 1 or not isinstance(keys[0], dict):
            raise _error(wanted, f"a JWK set with {len(keys)} keys; paste one key")
        document = keys[0]
    if "kty" not in document:
        found = "a JSON object with neither 'kty' (JWK) nor 'private_key' (Mux)"
        raise _error(wanted, found)
    return _from_jwk(document, wanted)


def _from_jwk(jwk: dict[str, Any], wanted: str) -> _Found:
    """Read an RSA JWK (RFC 7518 section 6.3)."""
    kty = jwk.get("kty")
    if kty != "RSA":
        kinds = {"EC": "an EC key", "OKP": "an Ed25519 or X25519 key"}
        found = f"{kinds.get(str(kty), 'a key of type ' + repr(str(kty)[:8]))} (JWK)"
        raise _error(wanted, found)

    n, e = _jwk_int(jwk, "n", wanted), _jwk_int(jwk, "e", wanted)
    if n is None or e is None:
        raise _error(wanted, f"an RSA JWK without '{'n' if n is None else 'e'}'")
    d, p, q = (_jwk_int(jwk, name, wanted) for name in ("d", "p", "q"))
    numbers = _Numbers(n, e, d, p, q)
    kid = jwk.get("kid")
    return _Found(numbers, kid if isinstance(kid, str) else None, "JWK")


def _jwk_int(jwk: dict[str, Any], name: str, wanted: str) -> int | None:
    """A base64url-encoded JWK member as an integer, or None when absent."""
    value = jwk.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _error(wanted, f"an RSA JWK whose '{name}' is not a string")
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise _error(wanted, f"an RSA JWK whose '{name}' is not base64url") from None
    return int.from_bytes(raw, "big")


def _from_pem(text: str, wanted: str) -> tuple[_Numbers, str]:
    """Read the first usable PEM block (RFC 7468)."""
    blocks = _PEM_BLOCK.findall(text)
    if not blocks:
        raise _error(wanted, "a BEGIN line with no label")
    # A file may hold a key and a certificate: prefer the private key.
    label, body = next(
        (block for block in blocks if block[0].endswith("PRIVATE KEY")), blocks[0]
    )
    if f"-----END {label}-----" not in text:
        raise _error(f"a complete PEM block ({label})", "no END line; copy all of it")
    if "ENCRYPTED" in body and "Proc-Type" in body:
        raise _error(wanted, "an encrypted private key")
    if label in _OTHER_PEM_LABELS:
        raise _error(wanted, _OTHER_PEM_LABELS[label])
    if label not in _PEM_FORMS:
        raise _error(wanted, f"a PEM block labelled '{label[:40]}'")
    compact = re.sub(r"\s+", "", body)
    try:
        data = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        found = f"a PEM body that is not valid base64 ({len(compact)} characters)"
        raise _error(wanted, found) from None
    return _from_der(data, wanted), _PEM_FORMS[label]


def _from_base64(compact: str, wanted: str) -> _Found:
    """Read base64 text: Mux's base64-encoded PEM, or base64 DER."""
    if len(compact.rstrip("=")) % 4 == 1:
        found = f"base64 that stops short ({len(compact)} characters); copy all of it"
        raise _error(wanted, found)
    standard = compact.replace("-", "+").replace("_", "/")
    data = base64.b64decode(standard + "=" * (-len(standard) % 4))
    if data.startswith(b"-----BEGIN"):
        try:
            pem = data.decode("ascii")
        except UnicodeDecodeError:
            raise _error(wanted, "base64 whose PEM is not plain text") from None
        numbers, label = _from_pem(pem, wanted)
        return _Found(numbers, None, f"Mux base64-encoded PEM ({label})")
    if data[:1] == b"\x30":
        return _Found(_from_der(data, wanted), None, "base64 DER")
    raise _error(wanted, _describe_text(compact))


def _from_der(data: bytes, wanted: str) -> _Numbers:
    """Read PKCS #1 or PKCS #8 private keys, or SPKI or PKCS #1 public keys."""
    try:
        return _read_der(data, wanted)
    except der.DERError as error:
        found = f"damaged key data ({error}); copy the key again"
        raise _error(wanted, found) from None


def _read_der(data: bytes, wanted: str, *, wrapped: bool = False) -> _Numbers:
    """Read one key; ``wrapped`` when inside SPKI or PKCS #8, which nest once."""
    top = der.parse(data)
    if top.tag != der.SEQUENCE:
        raise der.DERError("the key does not start with a SEQUENCE")
    fields = der.parse_sequence(top.content)
    if not fields:
        raise der.DERError("the key is an empty SEQUENCE")
    nests = fields[0].tag == der.SEQUENCE or (
        len(fields) >= 3 and fields[1].tag == der.SEQUENCE
    )
    if wrapped and nests:
        raise der.DERError("the key holds another wrapped key")
    if fields[0].tag == der.SEQUENCE:
        if len(fields) >= 2 and fields[1].tag == der.BIT_STRING:
            return _read_algorithm_body(fields[0], fields[1].content[1:], wanted)
        if len(fields) >= 2 and fields[1].tag == der.OCTET_STRING:
            raise _error(wanted, "an encrypted private key")
        raise _error(wanted, "a certificate")
    if len(fields) == 2:  # RSAPublicKey (RFC 8017 appendix A.1.1)
        return _Numbers(fields[0].integer(), fields[1].integer())
    if len(fields) >= 3 and fields[1].tag == der.SEQUENCE:
        # PrivateKeyInfo (RFC 5208 section 5): the RSA key sits in an OCTET STRING.
        if fields[2].tag != der.OCTET_STRING:
            raise der.DERError("the PKCS #8 key holds no OCTET STRING")
        return _read_algorithm_body(fields[1], fields[2].content, wanted)
    if len(fields) >= 2 and fields[1].tag == der.OCTET_STRING:
        # ECPrivateKey (RFC 5915 section 3): an OCTET STRING where RSA has n.
        raise _error(wanted, "an EC key")
    # RSAPrivateKey (RFC 8017 appendix A.1.2).
    version = fields[0].integer()
    if version != 0:
        raise _error("a two-prime RSA key", "a multi-prime key")
    if len(fields) != 9:
        raise der.DERError(f"the RSA key has {len(fields)} fields, not 9")
    n, e, d, p, q = (field.integer() for field in fields[1:6])
    return _Numbers(n, e, d, p, q)


def _read_algorithm_body(algorithm: der.Element, body: bytes, wanted: str) -> _Numbers:
    """Check an AlgorithmIdentifier is rsaEncryption, then read the key inside."""
    parts = der.parse_sequence(algorithm.content)
    if not parts:
        raise der.DERError("the key's algorithm identifier is empty")
    oid = parts[0].oid()
    if oid != RSA_ENCRYPTION:
        raise _error(wanted, _OTHER_ALGORITHMS.get(oid, f"a key of algorithm {oid}"))
    return _read_der(body, wanted, wrapped=True)


def _recover_primes(n: int, e: int, d: int) -> tuple[int, int]:
    """Factor n from e and d (NIST SP 800-56B rev. 2, appendix C.2).

    A JWK may omit the primes (RFC 7518 section 6.3.2); signing through the
    Chinese Remainder Theorem needs them.
    """
    k = d * e - 1
    t, s = k, 0
    while t % 2 == 0:
        t //= 2
        s += 1
    for g in range(2, 256):
        x = pow(g, t, n)
        for _ in range(s):
            y = pow(x, 2, n)
            if y == 1 and x not in (1, n - 1):
                p = math.gcd(x - 1, n)
                return max(p, n // p), min(p, n // p)
            x = y
    raise _error("an RSA private key whose numbers agree", "numbers that do not")


def _check_sizes(n: int, e: int, d: int) -> None:
    """Refuse numbers no RSA key can have, before any arithmetic on them."""
    if n.bit_length() < _MINIMUM_BITS:
        bits = n.bit_length()
        found = f"a {bits}-bit key, under the {_MINIMUM_BITS} bits any RS256 needs"
        raise _error("an RSA private key", found)
    if not (3 <= e < n and 1 < d < n):
        found = "a key whose exponents do not match; it is damaged"
        raise _error("an RSA private key", found)


def _check(n: int, e: int, d: int, p: int, q: int) -> None:
    """Refuse keys whose numbers disagree: they would sign garbage."""
    if p * q != n or p < 3 or q < 3 or math.gcd(p, q) != 1:
        found = "a key whose primes do not multiply to its modulus; it is damaged"
        raise _error("an RSA private key", found)
    if e < 3 or (d * e) % math.lcm(p - 1, q - 1) != 1:
        found = "a key whose exponents do not match; it is damaged"
        raise _error("an RSA private key", found)


def _warn_if_weak(n: int) -> None:
    bits = n.bit_length()
    if bits < _RECOMMENDED_BITS:
        # RFC 7518 section 3.3: a key of 2048 bits or larger MUST be used.
        message = (
            f"The key has {bits} bits; RS256 requires at least 2048 "
            "(RFC 7518 section 3.3), and Mux signing keys have 2048"
        )
        warnings.warn(message, WeakKeyWarning, stacklevel=3)


def _error(expected: str, found: str) -> KeyFormatError:
    hint = _HINTS.get(found)
    message = f"Expected {expected}, found {found}"
    return KeyFormatError(f"{message}; {hint}" if hint else message)
