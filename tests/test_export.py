"""Writing keys out: PEM, JWK, Mux's base64 form, and throwaway test keys."""

from __future__ import annotations

import base64
import json

from cryptography.hazmat.primitives import serialization
from keyforms import KEY_ID, KeyForms

from localjwt import load_signing_key, load_verifying_key
from localjwt.export import (
    generate_test_key,
    private_pem,
    public_pem,
    to_jwk,
    to_mux_base64,
)


def b64url_int(text: str) -> int:
    """A JWK member back to its integer."""
    return int.from_bytes(
        base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), "big"
    )


def test_private_pem_is_byte_for_byte_openssls_pkcs1(key: KeyForms) -> None:
    """The PKCS #1 PEM Mux issues, exactly as OpenSSL writes it."""
    assert private_pem(key.signing_key) == key.pkcs1_pem


def test_private_pem_loads_back_to_the_same_numbers(key: KeyForms) -> None:
    """Export then import is the identity."""
    loaded = load_signing_key(private_pem(key.signing_key))

    assert loaded.private_key == key.rsa_private_key


def test_public_pem_is_openssls_spki(key: KeyForms) -> None:
    """BEGIN PUBLIC KEY, identical to cryptography's SubjectPublicKeyInfo."""
    assert public_pem(key.signing_key) == key.spki_pem
    assert public_pem(key.signing_key.verifying_key()) == key.spki_pem


def test_public_pem_of_a_1024_bit_key_is_openssls_too(weak_key: KeyForms) -> None:
    """Other modulus lengths encode their INTEGER lengths right."""
    assert public_pem(weak_key.signing_key) == weak_key.spki_pem
    assert private_pem(weak_key.signing_key) == weak_key.pkcs1_pem


def test_to_mux_base64_is_base64_of_the_pkcs1_pem(key: KeyForms) -> None:
    """The form Mux's API returns as private_key."""
    encoded = to_mux_base64(key.signing_key)

    assert base64.b64decode(encoded).decode("ascii") == key.pkcs1_pem
    assert encoded == key.mux_base64
    assert load_signing_key(encoded).private_key == key.rsa_private_key


def test_to_jwk_is_public_unless_asked(key: KeyForms) -> None:
    """A JWK to publish carries n and e only, with alg, use and kid."""
    n, e, *_ = key.numbers
    jwk = to_jwk(key.signing_key)

    assert set(jwk) == {"kty", "n", "e", "alg", "use", "kid"}
    assert (jwk["kty"], jwk["alg"], jwk["use"], jwk["kid"]) == (
        "RSA",
        "RS256",
        "sig",
        KEY_ID,
    )
    assert (b64url_int(jwk["n"]), b64url_int(jwk["e"])) == (n, e)
    assert jwk["e"] == "AQAB"


def test_to_jwk_of_a_verifying_key_equals_the_public_jwk(key: KeyForms) -> None:
    """Whichever half it starts from, the public JWK is the same."""
    assert to_jwk(key.signing_key.verifying_key()) == to_jwk(key.signing_key)


def test_a_private_jwk_has_every_member_of_rfc_7518(key: KeyForms) -> None:
    """d, p, q, dp, dq and qi (RFC 7518 section 6.3.2), matching OpenSSL's."""
    private = key.openssl.private_numbers()
    jwk = to_jwk(key.signing_key, private=True)

    members = {name: b64url_int(jwk[name]) for name in ("d", "dp", "dq", "qi")}
    assert members == {
        "d": private.d,
        "dp": private.dmp1,
        "dq": private.dmq1,
        "qi": private.iqmp,
    }
    assert {b64url_int(jwk["p"]), b64url_int(jwk["q"])} == {private.p, private.q}


def test_a_private_jwk_round_trips(key: KeyForms) -> None:
    """Export to JWK then load gives the same key and its kid."""
    loaded = load_signing_key(json.dumps(to_jwk(key.signing_key, private=True)))

    assert loaded.private_key == key.rsa_private_key
    assert loaded.key_id == KEY_ID


def test_a_public_jwk_round_trips(key: KeyForms) -> None:
    """Export to a public JWK then load for verifying gives n and e back."""
    loaded = load_verifying_key(json.dumps(to_jwk(key.signing_key)))

    assert loaded.public_key == key.signing_key.verifying_key().public_key


def test_a_key_without_an_id_exports_without_kid(key: KeyForms) -> None:
    """kid is left out, never written as null."""
    loaded = load_signing_key(key.pkcs1_pem)

    assert "kid" not in to_jwk(loaded)


def test_a_generated_test_key_is_a_working_2048_bit_key() -> None:
    """A throwaway key with a Mux-style 45-character key ID."""
    generated = generate_test_key()

    assert generated.bits == 2048
    assert generated.key_id is not None
    assert len(generated.key_id) == 45
    assert generated.key_id.isalnum()
    assert generated.form == "generated test key"
    reloaded = serialization.load_pem_private_key(
        private_pem(generated).encode(), password=None
    )
    assert reloaded.private_numbers().d == generated.private_key.d  # type: ignore[union-attr]


def test_generated_key_ids_differ() -> None:
    """Each test key gets its own ID."""
    assert generate_test_key().key_id != generate_test_key().key_id
