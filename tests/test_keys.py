"""Reading pasted keys: every accepted form, every refusal and its exact message."""

from __future__ import annotations

import base64
import contextlib
import datetime
import json
import subprocess
import sys
import warnings
from collections.abc import Callable
from functools import cache
from typing import Any

import pytest
import rsa
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.x509.oid import NameOID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from keyforms import KEY_ID, KeyForms

from localjwt import (
    KeyFormatError,
    LocalJWTError,
    WeakKeyWarning,
    load_signing_key,
    load_verifying_key,
)
from localjwt import der as asn1
from localjwt.keys import SigningKey

NO_PASSWORD = serialization.NoEncryption()

PUBLIC_KEY = (
    "Expected an RSA private key, found a public key; "
    "paste the private key Mux showed when the signing key was made"
)
ENCRYPTED = (
    "Expected an RSA private key, found an encrypted private key; "
    "decrypt it first: openssl pkey -in key.pem"
)
OPENSSH = (
    "Expected an RSA private key, found an OpenSSH private key; "
    "convert it first: ssh-keygen -p -m PEM -f FILE"
)
NO_END_LINE = (
    "Expected a complete PEM block (RSA PRIVATE KEY), found no END line; copy all of it"
)
PRIMES_DISAGREE = (
    "Expected an RSA private key, "
    "found a key whose primes do not multiply to its modulus; it is damaged"
)
EXPONENTS_DISAGREE = (
    "Expected an RSA private key, "
    "found a key whose exponents do not match; it is damaged"
)
WEAK_1024 = (
    "The key has 1024 bits; RS256 requires at least 2048 "
    "(RFC 7518 section 3.3), and Mux signing keys have 2048"
)


def numbers_of(signing_key: SigningKey) -> tuple[int, int, int, int, int]:
    """(n, e, d, p, q) of a loaded key, p the larger prime as OpenSSL has it."""
    k = signing_key.private_key
    return (k.n, k.e, k.d, max(k.p, k.q), min(k.p, k.q))


def sorted_numbers(forms: KeyForms) -> tuple[int, int, int, int, int]:
    """The key's own numbers with p the larger prime, to compare with a load."""
    n, e, d, p, q = forms.numbers
    return (n, e, d, max(p, q), min(p, q))


def b64url(value: int) -> str:
    """An integer as JWK writes it: big-endian, base64url, no padding."""
    raw = value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def private_jwk(forms: KeyForms, *, primes: bool = True) -> dict[str, Any]:
    """The key as a private RSA JWK (RFC 7518 section 6.3.2), built by hand."""
    private = forms.openssl.private_numbers()
    n, e, d, p, q = forms.numbers
    jwk = {"kty": "RSA", "n": b64url(n), "e": b64url(e), "d": b64url(d)}
    if primes:
        jwk |= {
            "p": b64url(p),
            "q": b64url(q),
            "dp": b64url(private.dmp1),
            "dq": b64url(private.dmq1),
            "qi": b64url(private.iqmp),
        }
    return jwk


def public_jwk(forms: KeyForms) -> dict[str, Any]:
    """The key's public half as an RSA JWK."""
    n, e, *_ = forms.numbers
    return {"kty": "RSA", "n": b64url(n), "e": b64url(e)}


def pem_body(pem: str) -> str:
    """The base64 between a PEM's BEGIN and END lines, on one line."""
    return "".join(pem.strip().splitlines()[1:-1])


def rewrap(pem: str, width: int) -> str:
    """The same PEM with its body wrapped at ``width`` columns."""
    lines = pem.strip().splitlines()
    body = pem_body(pem)
    wrapped = [body[start : start + width] for start in range(0, len(body), width)]
    return "\n".join([lines[0], *wrapped, lines[-1]])


def pem_without(pem: str, start: int, end: int) -> str:
    """The PEM with characters ``start:end`` of its body taken out."""
    lines = pem.strip().splitlines()
    body = pem_body(pem)
    return rewrap("\n".join([lines[0], body[:start] + body[end:], lines[-1]]), 64)


def pkcs1_der(fields: tuple[int, ...]) -> bytes:
    """An RSAPrivateKey SEQUENCE (RFC 8017 appendix A.1.2) of the given INTEGERs."""
    body = b"".join(asn1.encode_integer(value) for value in fields)
    return asn1.encode(asn1.SEQUENCE, body)


def pkcs1_fields(forms: KeyForms) -> list[int]:
    """The nine INTEGERs of the key's RSAPrivateKey, version first."""
    private = forms.openssl.private_numbers()
    n, e, d, p, q = forms.numbers
    return [0, n, e, d, p, q, private.dmp1, private.dmq1, private.iqmp]


@cache
def ec_key() -> ec.EllipticCurvePrivateKey:
    """A P-256 key, to paste where RSA is wanted."""
    return ec.generate_private_key(ec.SECP256R1())


@cache
def ed25519_key() -> ed25519.Ed25519PrivateKey:
    """An Ed25519 key, to paste where RSA is wanted."""
    return ed25519.Ed25519PrivateKey.generate()


def certificate(forms: KeyForms) -> x509.Certificate:
    """A self-signed certificate for the key."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localjwt test")])
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(forms.openssl.public_key())
        .serial_number(1)
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=1))
        .sign(forms.openssl, hashes.SHA256())
    )


def ec_pem(form: serialization.PrivateFormat) -> str:
    """The P-256 key as PEM in ``form``."""
    pem = ec_key().private_bytes(serialization.Encoding.PEM, form, NO_PASSWORD)
    return pem.decode("ascii")


def encrypted(forms: KeyForms, form: serialization.PrivateFormat) -> str:
    """The key encrypted with a password, as PEM in ``form``."""
    password = serialization.BestAvailableEncryption(b"a password")
    pem = forms.openssl.private_bytes(serialization.Encoding.PEM, form, password)
    return pem.decode("ascii")


def cut_base64(text: str, remainder: int) -> str:
    """``text`` cut near its middle to a length that is ``remainder`` mod 4."""
    length = len(text) // 2
    while length % 4 != remainder:
        length += 1
    return text[:length]


# Each form people paste, how to make it from a key, and the form localjwt names.
Form = Callable[[KeyForms], str | bytes]
ACCEPTED_FORMS: list[tuple[str, Form, str]] = [
    ("pkcs1-pem", lambda k: k.pkcs1_pem, "PEM (PKCS #1)"),
    ("pkcs8-pem", lambda k: k.pkcs8_pem, "PEM (PKCS #8)"),
    ("pem-bytes", lambda k: k.pkcs1_pem.encode("ascii"), "PEM (PKCS #1)"),
    ("mux-base64", lambda k: k.mux_base64, "Mux base64-encoded PEM (PKCS #1)"),
    (
        "mux-base64-wrapped-at-76",
        lambda k: "\n".join(
            k.mux_base64[start : start + 76]
            for start in range(0, len(k.mux_base64), 76)
        ),
        "Mux base64-encoded PEM (PKCS #1)",
    ),
    (
        "pem-with-literal-backslash-n",
        lambda k: k.pkcs1_pem.replace("\n", "\\n"),
        "PEM (PKCS #1)",
    ),
    (
        "pem-with-literal-backslash-r-backslash-n",
        lambda k: k.pkcs8_pem.replace("\n", "\\r\\n"),
        "PEM (PKCS #8)",
    ),
    ("pem-with-crlf", lambda k: k.pkcs1_pem.replace("\n", "\r\n"), "PEM (PKCS #1)"),
    ("pem-in-double-quotes", lambda k: f'  "{k.pkcs1_pem}"\n ', "PEM (PKCS #1)"),
    ("pem-in-single-quotes", lambda k: f"'{k.pkcs8_pem}'", "PEM (PKCS #8)"),
    (
        "base64-in-backticks",
        lambda k: f" `{k.mux_base64}` ",
        "Mux base64-encoded PEM (PKCS #1)",
    ),
    (
        "env-assignment",
        lambda k: f"MUX_PRIVATE_KEY={k.mux_base64}",
        "Mux base64-encoded PEM (PKCS #1)",
    ),
    (
        "exported-quoted-assignment",
        lambda k: f'export MUX_PRIVATE_KEY="{k.mux_base64}"\n',
        "Mux base64-encoded PEM (PKCS #1)",
    ),
    (
        "env-assignment-of-escaped-pem",
        lambda k: 'MUX_PRIVATE_KEY="{}"'.format(k.pkcs1_pem.replace("\n", "\\n")),
        "PEM (PKCS #1)",
    ),
    (
        "yaml-style-assignment",
        lambda k: f"private_key: {k.mux_base64}",
        "Mux base64-encoded PEM (PKCS #1)",
    ),
    ("pem-rewrapped-at-76", lambda k: rewrap(k.pkcs1_pem, 76), "PEM (PKCS #1)"),
    (
        "pem-on-one-line-with-spaces",
        lambda k: " ".join(rewrap(k.pkcs8_pem, 64).splitlines()),
        "PEM (PKCS #8)",
    ),
    (
        "pem-body-with-spaces-inside",
        lambda k: rewrap(k.pkcs1_pem, 8).replace("\n", " \n ", 20),
        "PEM (PKCS #1)",
    ),
    (
        "pem-with-text-around",
        lambda k: f"Here is the key:\n{k.pkcs1_pem}\nKeep it secret.",
        "PEM (PKCS #1)",
    ),
    (
        "certificate-then-key",
        lambda k: (
            certificate(k).public_bytes(serialization.Encoding.PEM).decode()
            + k.pkcs1_pem
        ),
        "PEM (PKCS #1)",
    ),
    (
        "pkcs1-base64-der",
        lambda k: base64.b64encode(k.pkcs1_der).decode(),
        "base64 DER",
    ),
    (
        "pkcs8-base64-der",
        lambda k: base64.b64encode(k.pkcs8_der).decode(),
        "base64 DER",
    ),
    (
        "pkcs8-base64url-der",
        lambda k: base64.urlsafe_b64encode(k.pkcs8_der).rstrip(b"=").decode(),
        "base64 DER",
    ),
    ("pkcs1-der-bytes", lambda k: k.pkcs1_der, "DER"),
    ("pkcs8-der-bytes", lambda k: k.pkcs8_der, "DER"),
    ("private-jwk", lambda k: json.dumps(private_jwk(k)), "JWK"),
    (
        "private-jwk-without-primes",
        lambda k: json.dumps(private_jwk(k, primes=False)),
        "JWK",
    ),
    (
        "private-jwk-indented",
        lambda k: json.dumps(private_jwk(k), indent=2).replace("\n", "\r\n"),
        "JWK",
    ),
    ("jwk-set-of-one", lambda k: json.dumps({"keys": [private_jwk(k)]}), "JWK"),
    (
        "mux-api-json",
        lambda k: json.dumps({"data": {"id": KEY_ID, "private_key": k.mux_base64}}),
        "Mux signing-key JSON",
    ),
    (
        "mux-api-data-object",
        lambda k: json.dumps({"id": KEY_ID, "private_key": k.pkcs1_pem}),
        "Mux signing-key JSON",
    ),
]


@pytest.mark.parametrize(
    ("form", "expected_form"),
    [pytest.param(make, name, id=ident) for ident, make, name in ACCEPTED_FORMS],
)
def test_every_accepted_form_reads_as_the_same_numbers(
    key: KeyForms, form: Form, expected_form: str
) -> None:
    """Each way people paste a key gives the numbers OpenSSL generated."""
    loaded = load_signing_key(form(key))

    assert numbers_of(loaded) == sorted_numbers(key)
    assert loaded.form == expected_form
    assert loaded.bits == 2048


@pytest.mark.parametrize(
    "form",
    [pytest.param(make, id=ident) for ident, make, _ in ACCEPTED_FORMS],
)
def test_every_accepted_form_gives_the_public_key_too(
    key: KeyForms, form: Form
) -> None:
    """A private key pasted where a public key is wanted yields its public half."""
    loaded = load_verifying_key(form(key))

    n, e, *_ = key.numbers
    assert (loaded.public_key.n, loaded.public_key.e) == (n, e)


def test_a_jwk_without_primes_gets_them_recovered(key: KeyForms) -> None:
    """From n, e and d alone the primes are found, so CRT signing can work."""
    loaded = load_signing_key(json.dumps(private_jwk(key, primes=False)))

    private = key.openssl.private_numbers()
    assert {loaded.private_key.p, loaded.private_key.q} == {private.p, private.q}
    assert loaded.private_key.coef == pow(
        loaded.private_key.q, -1, loaded.private_key.p
    )


def test_the_mux_api_json_carries_the_key_id(key: KeyForms) -> None:
    """Mux's signing-key response names the key ID alongside the key."""
    body = {"data": {"id": KEY_ID, "private_key": key.mux_base64, "created_at": "1"}}

    assert load_signing_key(json.dumps(body)).key_id == KEY_ID


def test_a_jwk_kid_becomes_the_key_id(key: KeyForms) -> None:
    """A JWK's kid is taken as the signing key ID."""
    jwk = private_jwk(key) | {"kid": "jwk-kid"}

    assert load_signing_key(json.dumps(jwk)).key_id == "jwk-kid"


def test_the_key_id_argument_is_used_when_the_text_has_none(key: KeyForms) -> None:
    """A PEM has no key ID, so the one passed in is kept."""
    assert load_signing_key(key.pkcs1_pem, key_id="given").key_id == "given"
    assert load_signing_key(key.pkcs1_pem).key_id is None


def test_the_key_id_in_the_text_wins_over_the_argument(key: KeyForms) -> None:
    """The ID Mux issued with the key is the one that matches it."""
    body = {"data": {"id": KEY_ID, "private_key": key.mux_base64}}

    assert load_signing_key(json.dumps(body), key_id="other").key_id == KEY_ID


@pytest.mark.parametrize(
    ("form", "expected_form"),
    [
        pytest.param(lambda k: k.spki_pem, "PEM (SPKI public key)", id="spki-pem"),
        pytest.param(
            lambda k: (
                k.openssl.public_key()
                .public_bytes(
                    serialization.Encoding.PEM, serialization.PublicFormat.PKCS1
                )
                .decode()
            ),
            "PEM (PKCS #1 public key)",
            id="pkcs1-public-pem",
        ),
        pytest.param(lambda k: json.dumps(public_jwk(k)), "JWK", id="public-jwk"),
        pytest.param(
            lambda k: json.dumps({"keys": [public_jwk(k)]}), "JWK", id="public-jwk-set"
        ),
        pytest.param(lambda k: k.spki_der, "DER", id="spki-der"),
        pytest.param(
            lambda k: k.openssl.public_key().public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.PKCS1
            ),
            "DER",
            id="pkcs1-public-der",
        ),
        pytest.param(
            lambda k: base64.b64encode(k.spki_der).decode(),
            "base64 DER",
            id="spki-base64",
        ),
        pytest.param(
            lambda k: base64.b64encode(k.spki_pem.encode()).decode(),
            "Mux base64-encoded PEM (SPKI public key)",
            id="base64-encoded-spki-pem",
        ),
    ],
)
def test_public_keys_load_for_verifying(
    key: KeyForms, form: Form, expected_form: str
) -> None:
    """Public keys in PEM, JWK and DER all give the modulus and exponent."""
    loaded = load_verifying_key(form(key))

    n, e, *_ = key.numbers
    assert (loaded.public_key.n, loaded.public_key.e) == (n, e)
    assert loaded.form == expected_form
    assert loaded.bits == 2048


def test_a_public_jwk_keeps_its_kid_for_verifying(key: KeyForms) -> None:
    """The kid of a public JWK is kept, to match against a token's kid."""
    jwk = public_jwk(key) | {"kid": "the-kid"}

    assert load_verifying_key(json.dumps(jwk)).key_id == "the-kid"


def test_a_signing_key_gives_its_verifying_key(key: KeyForms) -> None:
    """The public half of a loaded private key carries the same ID and form."""
    verifying = load_signing_key(key.pkcs1_pem, key_id="id").verifying_key()

    n, e, *_ = key.numbers
    assert (verifying.public_key.n, verifying.public_key.e) == (n, e)
    assert (verifying.key_id, verifying.form) == ("id", "PEM (PKCS #1)")


# Each unusable paste, how to make it, and the exact message it gets.
REFUSED: list[tuple[str, Form, str]] = [
    ("spki-public-pem", lambda k: k.spki_pem, PUBLIC_KEY),
    (
        "pkcs1-public-pem",
        lambda k: (
            k.openssl.public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1)
            .decode()
        ),
        PUBLIC_KEY,
    ),
    ("spki-der", lambda k: k.spki_der, PUBLIC_KEY),
    ("public-jwk", lambda k: json.dumps(public_jwk(k)), PUBLIC_KEY),
    (
        "ec-pkcs8-pem",
        lambda k: ec_pem(serialization.PrivateFormat.PKCS8),
        "Expected an RSA private key, found an EC key",
    ),
    (
        "ec-private-key-pem",
        lambda k: ec_pem(serialization.PrivateFormat.TraditionalOpenSSL),
        "Expected an RSA private key, found an EC key",
    ),
    (
        "ec-pkcs8-der",
        lambda k: ec_key().private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, NO_PASSWORD
        ),
        "Expected an RSA private key, found an EC key",
    ),
    (
        "ec-jwk",
        lambda k: json.dumps({"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"}),
        "Expected an RSA private key, found an EC key (JWK)",
    ),
    (
        "okp-jwk",
        lambda k: json.dumps({"kty": "OKP", "crv": "Ed25519", "x": "AA"}),
        "Expected an RSA private key, found an Ed25519 or X25519 key (JWK)",
    ),
    (
        "oct-jwk",
        lambda k: json.dumps({"kty": "oct", "k": "c2VjcmV0"}),
        "Expected an RSA private key, found a key of type 'oct' (JWK)",
    ),
    (
        "ed25519-pkcs8-pem",
        lambda k: (
            ed25519_key()
            .private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                NO_PASSWORD,
            )
            .decode()
        ),
        "Expected an RSA private key, found an Ed25519 key",
    ),
    (
        "encrypted-pkcs8-pem",
        lambda k: encrypted(k, serialization.PrivateFormat.PKCS8),
        ENCRYPTED,
    ),
    (
        "encrypted-pkcs8-der",
        lambda k: k.openssl.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"a password"),
        ),
        ENCRYPTED,
    ),
    (
        "legacy-encrypted-pem",
        lambda k: encrypted(k, serialization.PrivateFormat.TraditionalOpenSSL),
        ENCRYPTED,
    ),
    (
        "openssh-rsa-key",
        lambda k: k.openssl.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, NO_PASSWORD
        ).decode(),
        OPENSSH,
    ),
    (
        "certificate-pem",
        lambda k: certificate(k).public_bytes(serialization.Encoding.PEM).decode(),
        "Expected an RSA private key, found a certificate",
    ),
    (
        "certificate-der",
        lambda k: certificate(k).public_bytes(serialization.Encoding.DER),
        "Expected an RSA private key, found a certificate",
    ),
    (
        "unknown-pem-label",
        lambda k: "-----BEGIN SECRET THING-----\nAAAA\n-----END SECRET THING-----",
        "Expected an RSA private key, found a PEM block labelled 'SECRET THING'",
    ),
    ("mux-base64-cut-in-half", lambda k: cut_base64(k.mux_base64, 0), NO_END_LINE),
    ("pem-cut-in-half", lambda k: k.pkcs1_pem[: len(k.pkcs1_pem) // 2], NO_END_LINE),
    (
        "base64-der-one-character-short",
        lambda k: cut_base64(base64.b64encode(k.pkcs1_der).decode(), 1),
        "Expected an RSA private key, found base64 that stops short "
        "({length} characters); copy all of it",
    ),
    (
        "pem-body-losing-a-character",
        lambda k: pem_without(k.pkcs1_pem, 600, 601),
        "Expected an RSA private key, "
        "found a PEM body that is not valid base64 ({body} characters)",
    ),
    (
        "der-with-bytes-flipped-in-the-modulus",
        lambda k: (
            k.pkcs1_der[:140] + bytes([k.pkcs1_der[140] ^ 0xFF]) + k.pkcs1_der[141:]
        ),
        PRIMES_DISAGREE,
    ),
    (
        "base64-der-with-bytes-flipped",
        lambda k: base64.b64encode(
            k.pkcs8_der[:150]
            + bytes([b ^ 0x5A for b in k.pkcs8_der[150:154]])
            + k.pkcs8_der[154:]
        ).decode(),
        PRIMES_DISAGREE,
    ),
    (
        "der-cut-short",
        lambda k: k.pkcs1_der[:-10],
        "Expected an RSA private key, found damaged key data "
        "(the data ends before an element does); copy the key again",
    ),
    (
        "der-with-bytes-after-it",
        lambda k: k.pkcs1_der + b"\x00\x00",
        "Expected an RSA private key, found damaged key data "
        "(2 bytes follow the end of the key); copy the key again",
    ),
    (
        "der-with-a-field-missing",
        lambda k: pkcs1_der(tuple(pkcs1_fields(k)[:8])),
        "Expected an RSA private key, found damaged key data "
        "(the RSA key has 8 fields, not 9); copy the key again",
    ),
    (
        "a-changed-prime",
        lambda k: pkcs1_der(
            tuple(v + 2 if i == 4 else v for i, v in enumerate(pkcs1_fields(k)))
        ),
        PRIMES_DISAGREE,
    ),
    (
        "a-changed-private-exponent",
        lambda k: pkcs1_der(
            tuple(v + 2 if i == 3 else v for i, v in enumerate(pkcs1_fields(k)))
        ),
        EXPONENTS_DISAGREE,
    ),
    (
        "a-multi-prime-key",
        lambda k: pkcs1_der((1, *pkcs1_fields(k)[1:], 3)),
        "Expected a two-prime RSA key, found a multi-prime key",
    ),
    (
        "a-jwk-with-a-changed-d",
        lambda k: json.dumps(private_jwk(k) | {"d": b64url(k.numbers[2] + 2)}),
        EXPONENTS_DISAGREE,
    ),
    (
        "a-jwt",
        lambda k: (
            "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhYmMifQ.c2lnbmF0dXJl"
        ),
        "Expected an RSA private key, found a JWT, not a key",
    ),
    (
        "a-key-id",
        lambda k: KEY_ID,
        "Expected an RSA private key, found a short ID of 45 characters, "
        "like a signing key ID rather than the key itself",
    ),
    ("empty-text", lambda k: "", "Expected an RSA private key, found nothing"),
    (
        "only-whitespace",
        lambda k: " \n\t ",
        "Expected an RSA private key, found nothing",
    ),
    ("empty-quotes", lambda k: '""', "Expected an RSA private key, found nothing"),
    ("empty-bytes", lambda k: b"", "Expected an RSA private key, found nothing"),
    (
        "bytes-that-are-not-text",
        lambda k: b"\xff\xfe\x00key",
        "Expected an RSA private key, found bytes that are neither text nor DER",
    ),
    (
        "prose",
        lambda k: "my key is secret!",
        "Expected an RSA private key, found text of 17 characters that is none of "
        "PEM, base64-encoded PEM or JWK",
    ),
    (
        "invalid-json",
        lambda k: '{"kty": "RSA", ',
        "Expected an RSA private key, "
        "found JSON that does not parse (line 1, column 14)",
    ),
    (
        "json-without-a-key",
        lambda k: json.dumps({"data": {"id": KEY_ID}}),
        "Expected an RSA private key, "
        "found a JSON object with neither 'kty' (JWK) nor 'private_key' (Mux)",
    ),
    (
        "jwk-set-of-two",
        lambda k: json.dumps({"keys": [private_jwk(k), private_jwk(k)]}),
        "Expected an RSA private key, found a JWK set with 2 keys; paste one key",
    ),
    (
        "jwk-without-n",
        lambda k: json.dumps({"kty": "RSA", "e": "AQAB", "d": "AQAB"}),
        "Expected an RSA private key, found an RSA JWK without 'n'",
    ),
    (
        "jwk-with-a-number-for-n",
        lambda k: json.dumps({"kty": "RSA", "n": 12345, "e": "AQAB"}),
        "Expected an RSA private key, found an RSA JWK whose 'n' is not a string",
    ),
    (
        "jwk-with-n-not-base64url",
        lambda k: json.dumps({"kty": "RSA", "n": "é", "e": "AQAB"}),
        "Expected an RSA private key, found an RSA JWK whose 'n' is not base64url",
    ),
    (
        "mux-json-holding-a-public-key",
        lambda k: json.dumps({"data": {"id": KEY_ID, "private_key": k.spki_pem}}),
        PUBLIC_KEY,
    ),
]


def expected_message(template: str, forms: KeyForms) -> str:
    """Fill in the lengths some messages report, from the key itself."""
    short = cut_base64(base64.b64encode(forms.pkcs1_der).decode(), 1)
    body = len(pem_body(forms.pkcs1_pem)) - 1
    return template.format(length=len(short), body=body)


@pytest.mark.parametrize(
    ("form", "message"),
    [pytest.param(make, message, id=ident) for ident, make, message in REFUSED],
)
def test_unusable_text_is_refused_with_a_message_saying_what_it_is(
    key: KeyForms, form: Form, message: str
) -> None:
    """Each refusal says what was expected and what was found, exactly."""
    with pytest.raises(KeyFormatError) as caught:
        load_signing_key(form(key))

    assert caught.value.message == expected_message(message, key)
    assert caught.value.field == "private_key"


@pytest.mark.parametrize(
    "form",
    [pytest.param(make, id=ident) for ident, make, _ in REFUSED]
    + [pytest.param(make, id=ident) for ident, make, _ in ACCEPTED_FORMS],
)
def test_no_message_repeats_any_of_the_key(key: KeyForms, form: Form) -> None:
    """Neither a refusal nor a refused verifying key echoes 16 characters of key."""
    windows = key.secret_windows()
    messages = []
    for load in (load_signing_key, load_verifying_key):
        try:
            load(form(key))
        except LocalJWTError as error:
            messages.append(str(error))

    for message in messages:
        runs = {message[i : i + 16] for i in range(len(message) - 15)}
        assert not runs & windows


@pytest.mark.parametrize(
    ("form", "message"),
    [
        pytest.param(
            lambda k: certificate(k).public_bytes(serialization.Encoding.PEM).decode(),
            "Expected an RSA public or private key, found a certificate",
            id="certificate",
        ),
        pytest.param(
            lambda k: ec_pem(serialization.PrivateFormat.PKCS8),
            "Expected an RSA public or private key, found an EC key",
            id="ec-key",
        ),
        pytest.param(
            lambda k: (
                ec_key()
                .public_key()
                .public_bytes(
                    serialization.Encoding.PEM,
                    serialization.PublicFormat.SubjectPublicKeyInfo,
                )
                .decode()
            ),
            "Expected an RSA public or private key, found an EC key",
            id="ec-public-key",
        ),
        pytest.param(
            lambda k: "",
            "Expected an RSA public or private key, found nothing",
            id="nothing",
        ),
        pytest.param(
            lambda k: rsa.newkeys(384)[0].save_pkcs1().decode(),
            "Expected an RSA public key, found a key too short to check a signature",
            id="a-384-bit-public-key",
        ),
    ],
)
def test_unusable_verifying_keys_are_refused(
    key: KeyForms, form: Form, message: str
) -> None:
    """Verifying keys get the same plain messages, naming what is wanted."""
    with pytest.raises(KeyFormatError) as caught:
        load_verifying_key(form(key))

    assert caught.value.message == message


def test_a_1024_bit_key_is_accepted_with_a_warning(weak_key: KeyForms) -> None:
    """Short keys still sign, but the person is told RS256 wants 2048 bits."""
    with pytest.warns(WeakKeyWarning) as record:
        loaded = load_signing_key(weak_key.pkcs1_pem)

    assert loaded.bits == 1024
    assert [str(warning.message) for warning in record] == [WEAK_1024]
    assert record[0].filename == __file__


def test_a_2048_bit_key_loads_without_warning(key: KeyForms) -> None:
    """Mux's own key size passes silently (warnings are errors in this suite)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_signing_key(key.mux_base64)


def test_a_384_bit_key_is_refused() -> None:
    """Under 512 bits a key cannot hold even an RS256 signature's padding.

    OpenSSL will not make such a key, so python-rsa does.
    """
    _, private = rsa.newkeys(384)

    with pytest.raises(KeyFormatError) as caught:
        load_signing_key(private.save_pkcs1())

    assert caught.value.message == (
        "Expected an RSA private key, found a 384-bit key, "
        "under the 512 bits any RS256 needs"
    )


def _run_with_timeout(code: str, seconds: float = 3) -> str:
    """Run ``code`` in a fresh interpreter; its output, or fail if it hangs."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=seconds,
        check=False,
    )
    return result.stdout.strip() + result.stderr.strip()[-200:]


# A 601-bit odd modulus: big enough to pass the size check, factored by nobody.
_ODD_MODULUS = b64url(2**600 + 1)


def test_a_jwk_whose_exponents_multiply_to_one_is_refused_at_once() -> None:
    """d = e = 1 makes d*e - 1 zero; factoring must not spin on it forever."""
    jwk = json.dumps({"kty": "RSA", "n": _ODD_MODULUS, "e": "AQ", "d": "AQ"})
    code = (
        "import localjwt\n"
        "try:\n"
        f"    localjwt.load_signing_key({jwk!r})\n"
        "except localjwt.KeyFormatError as error:\n"
        "    print(error)\n"
    )

    assert _run_with_timeout(code) == EXPONENTS_DISAGREE


@pytest.mark.parametrize(
    "jwk",
    [
        pytest.param({"kty": "RSA", "n": "AA", "e": "AQAB", "d": "Aw"}, id="n-zero"),
        pytest.param(
            {"kty": "RSA", "n": _ODD_MODULUS, "e": "AQAB", "d": "AA"}, id="d-zero"
        ),
    ],
)
def test_a_jwk_with_impossible_numbers_is_refused(jwk: dict[str, str]) -> None:
    """Zeros where RSA numbers belong are a KeyFormatError, not a crash."""
    with pytest.raises(KeyFormatError):
        load_signing_key(json.dumps(jwk))


def test_a_key_whose_two_primes_are_equal_is_refused(weak_key: KeyForms) -> None:
    """n = p * p passes the product check, but p and q must differ."""
    p = weak_key.numbers[3]
    d = pow(65537, -1, p - 1)
    fields = (0, p * p, 65537, d, p, p, d % (p - 1), d % (p - 1), 1)

    with pytest.raises(KeyFormatError) as caught:
        load_signing_key(pkcs1_der(fields))

    assert caught.value.message == PRIMES_DISAGREE


@pytest.mark.parametrize(
    "algorithm",
    [
        pytest.param(b"", id="empty-algorithm-identifier"),
        pytest.param(asn1.encode(asn1.OID, b"\x80"), id="unterminated-oid"),
    ],
)
def test_a_public_key_with_a_broken_algorithm_is_refused(algorithm: bytes) -> None:
    """An AlgorithmIdentifier with nothing usable in it is damaged key data."""
    spki = asn1.encode(
        asn1.SEQUENCE,
        asn1.encode(asn1.SEQUENCE, algorithm) + asn1.encode(asn1.BIT_STRING, b"\x00"),
    )

    with pytest.raises(KeyFormatError):
        load_verifying_key(spki)


def test_deeply_nested_json_is_refused() -> None:
    """JSON nested past Python's recursion limit is refused, not a crash."""
    with pytest.raises(KeyFormatError):
        load_signing_key('{"a":' * 100_000 + "1" + "}" * 100_000)


def test_pkcs8_wrapped_in_itself_is_refused() -> None:
    """A PKCS #8 key holds an RSA key, never another PKCS #8 key."""
    algorithm = asn1.encode(
        asn1.SEQUENCE,
        asn1.encode_oid("1.2.840.113549.1.1.1") + asn1.encode(asn1.NULL, b""),
    )
    body = b"\x30\x00"
    for _ in range(3000):
        body = asn1.encode(
            asn1.SEQUENCE,
            asn1.encode_integer(0) + algorithm + asn1.encode(asn1.OCTET_STRING, body),
        )

    with pytest.raises(KeyFormatError):
        load_signing_key(body)


def test_an_ec_private_key_in_der_is_named_as_an_ec_key() -> None:
    """RFC 5915's ECPrivateKey has version 1 like a multi-prime RSA key, but an
    OCTET STRING where RSA has its modulus."""
    der_bytes = ec_key().private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.TraditionalOpenSSL,
        NO_PASSWORD,
    )

    with pytest.raises(KeyFormatError) as caught:
        load_signing_key(der_bytes)

    assert caught.value.message == "Expected an RSA private key, found an EC key"


# Fuzzing: whatever arrives, the answer is a key or a LocalJWTError.

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def load_both(data: str | bytes) -> None:
    """Try both loaders; anything but a key or a LocalJWTError fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WeakKeyWarning)
        for load in (load_signing_key, load_verifying_key):
            with contextlib.suppress(LocalJWTError):
                load(data)


@FUZZ
@given(st.text())
def test_arbitrary_text_never_crashes_the_loaders(text: str) -> None:
    """Any text gives a key or a LocalJWTError."""
    load_both(text)


@FUZZ
@given(st.binary())
def test_arbitrary_bytes_never_crash_the_loaders(data: bytes) -> None:
    """Any bytes give a key or a LocalJWTError."""
    load_both(data)


PEM_PIECES = [
    "-----BEGIN ",
    "-----END ",
    "RSA PRIVATE KEY-----",
    "PUBLIC KEY-----",
    "MIIB",
    "MII",
    "AQAB",
    "\\n",
    "\n",
    "=",
    " ",
    '"',
    "{",
    "}",
    '"kty":"RSA",',
    '"n":"AQAB",',
    '"d":"Aw",',
    '"keys":[',
    "]",
    "MUX_PRIVATE_KEY=",
]


@FUZZ
@given(st.lists(st.sampled_from(PEM_PIECES), max_size=16))
def test_pem_shaped_text_never_crashes_the_loaders(pieces: list[str]) -> None:
    """Text built from the pieces of PEM and JWK gives a key or a LocalJWTError."""
    load_both("".join(pieces))


def mutate(data: bytes, draw: st.DataObject) -> bytes:
    """Flip, drop or cut bytes of ``data`` at places hypothesis picks."""
    edits = draw.draw(st.integers(min_value=1, max_value=4))
    buffer = bytearray(data)
    for _ in range(edits):
        if not buffer:
            break
        action = draw.draw(st.sampled_from(["flip", "drop", "cut", "insert"]))
        index = draw.draw(st.integers(min_value=0, max_value=len(buffer) - 1))
        if action == "flip":
            buffer[index] ^= draw.draw(st.integers(min_value=1, max_value=255))
        elif action == "drop":
            del buffer[index]
        elif action == "cut":
            del buffer[index:]
        else:
            buffer.insert(index, draw.draw(st.integers(min_value=0, max_value=255)))
    return bytes(buffer)


MUTABLE_FORMS: dict[str, Callable[[KeyForms], bytes]] = {
    "pkcs1-pem": lambda k: k.pkcs1_pem.encode(),
    "pkcs8-pem": lambda k: k.pkcs8_pem.encode(),
    "mux-base64": lambda k: k.mux_base64.encode(),
    "pkcs1-der": lambda k: k.pkcs1_der,
    "pkcs8-der": lambda k: k.pkcs8_der,
    "spki-der": lambda k: k.spki_der,
    "private-jwk": lambda k: json.dumps(private_jwk(k)).encode(),
    "jwk-without-primes": lambda k: json.dumps(private_jwk(k, primes=False)).encode(),
    "mux-json": lambda k: json.dumps(
        {"data": {"id": KEY_ID, "private_key": k.mux_base64}}
    ).encode(),
}


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.sampled_from(sorted(MUTABLE_FORMS)), st.booleans(), st.data())
def test_damaged_keys_never_crash_the_loaders(
    weak_key: KeyForms, form: str, as_text: bool, data: st.DataObject
) -> None:
    """A real key with bytes flipped, dropped or cut is a key or a LocalJWTError.

    The 1024-bit key keeps each parse fast; the text forms are also tried as
    ``str`` when the damage leaves them valid UTF-8.
    """
    damaged = mutate(MUTABLE_FORMS[form](weak_key), data)
    if as_text:
        try:
            load_both(damaged.decode("utf-8"))
        except UnicodeDecodeError:
            load_both(damaged)
    else:
        load_both(damaged)


def tlv(tag: int, content: bytes) -> bytes:
    """One DER element."""
    return asn1.encode(tag, content)


RSA_OID = asn1.encode_oid("1.2.840.113549.1.1.1")

der_leaves = st.one_of(
    st.integers(min_value=0, max_value=2**600).map(asn1.encode_integer),
    st.sampled_from(
        [
            RSA_OID,
            asn1.encode_oid("1.2.840.10045.2.1"),
            asn1.encode(asn1.NULL, b""),
            asn1.encode(asn1.SEQUENCE, b""),
        ]
    ),
    st.tuples(
        st.sampled_from([asn1.OID, asn1.BIT_STRING, asn1.OCTET_STRING, asn1.INTEGER]),
        st.binary(max_size=8),
    ).map(lambda pair: tlv(*pair)),
)

der_elements = st.recursive(
    der_leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=10).map(
            lambda items: tlv(asn1.SEQUENCE, b"".join(items))
        ),
        children.map(lambda item: tlv(asn1.OCTET_STRING, item)),
        children.map(lambda item: tlv(asn1.BIT_STRING, b"\x00" + item)),
    ),
    max_leaves=20,
)


@st.composite
def key_shaped_der(draw: st.DrawFn) -> bytes:
    """DER laid out like SPKI or PKCS #8, with anything in the slots.

    An AlgorithmIdentifier and a wrapped key are where the parser trusts the
    most, so those slots get random elements, often of the right tag.
    """
    algorithm = tlv(asn1.SEQUENCE, b"".join(draw(st.lists(der_leaves, max_size=3))))
    inner = draw(der_elements)
    if draw(st.booleans()):
        fields = [algorithm, tlv(asn1.BIT_STRING, b"\x00" + inner)]
    else:
        version = draw(st.integers(min_value=0, max_value=2)).to_bytes(1, "big")
        fields = [tlv(asn1.INTEGER, version), algorithm, tlv(asn1.OCTET_STRING, inner)]
    return tlv(asn1.SEQUENCE, b"".join(fields))


@settings(max_examples=200, deadline=None)
@given(der_elements.map(lambda item: tlv(asn1.SEQUENCE, item)))
def test_der_of_the_wrong_shape_never_crashes_the_loaders(data: bytes) -> None:
    """Well-formed DER that is no key is a KeyFormatError, never a crash."""
    load_both(data)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(key_shaped_der())
def test_der_shaped_like_a_key_never_crashes_the_loaders(data: bytes) -> None:
    """SPKI- and PKCS #8-shaped DER with odd contents is refused, never a crash."""
    load_both(data)
