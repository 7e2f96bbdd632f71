"""Signing any JWT: free claims, RS256/384/512 with a key, HS256/384/512."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from keyforms import NOW, KeyForms

from localjwt import ClaimsError, ExpiryError, KeyFormatError
from localjwt.anyjwt import ShortSecretWarning, hmac_secret, sign_jwt, timed_claims

SECRET = b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def parts(token: str) -> tuple[dict[str, object], dict[str, object], bytes]:
    def load(part: str) -> bytes:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))

    header, payload, signature = token.split(".")
    return json.loads(load(header)), json.loads(load(payload)), load(signature)


@pytest.mark.parametrize(
    ("algorithm", "digest"),
    [("HS256", hashlib.sha256), ("HS384", hashlib.sha384), ("HS512", hashlib.sha512)],
)
def test_hmac_tokens_match_the_standard_library(algorithm: str, digest: object) -> None:
    """HS tokens are HMAC over the signing input, byte for byte."""
    token = sign_jwt({"sub": "me"}, algorithm=algorithm, secret=SECRET)
    signing_input, _, _ = token.rpartition(".")
    expected = hmac.new(SECRET, signing_input.encode(), digest).digest()  # type: ignore[arg-type]
    assert parts(token) == ({"alg": algorithm, "typ": "JWT"}, {"sub": "me"}, expected)


@pytest.mark.parametrize(
    ("algorithm", "digest"),
    [
        ("RS256", hashes.SHA256()),
        ("RS384", hashes.SHA384()),
        ("RS512", hashes.SHA512()),
    ],
)
def test_rsa_tokens_match_openssl(
    key: KeyForms, algorithm: str, digest: hashes.HashAlgorithm
) -> None:
    """RS tokens with a free header are OpenSSL's signature, byte for byte."""
    token = sign_jwt(
        {"iss": "me", "n": 1},
        algorithm=algorithm,
        header={"kid": "k1", "alg": "ignored"},
        key=key.signing_key,
    )
    header, payload, signature = parts(token)
    assert header == {"alg": algorithm, "kid": "k1", "typ": "JWT"}
    assert payload == {"iss": "me", "n": 1}
    signing_input = token.rpartition(".")[0].encode()
    assert signature == key.openssl.sign(signing_input, padding.PKCS1v15(), digest)


def test_timed_claims_come_from_durations() -> None:
    assert timed_claims(now=NOW, iat=True, nbf="now", exp="1h") == {
        "iat": NOW,
        "nbf": NOW,
        "exp": NOW + 3600,
    }
    assert timed_claims(now=NOW, nbf="5m") == {"nbf": NOW + 300}
    assert timed_claims(now=NOW) == {}


def test_a_past_exp_is_refused() -> None:
    with pytest.raises(ExpiryError):
        timed_claims(now=NOW, exp="2020-01-01")


def test_secrets_are_utf8_or_base64url() -> None:
    assert hmac_secret("héllo") == "héllo".encode()
    assert hmac_secret(b64url(SECRET), "base64url") == SECRET
    with pytest.raises(KeyFormatError) as raised:
        hmac_secret("not*base64", "base64url")
    assert raised.value.message == (
        "Expected the secret as base64url, found 10 characters that are not"
    )
    assert raised.value.field == "secret"


def test_a_short_secret_signs_with_a_warning() -> None:
    with pytest.warns(ShortSecretWarning) as caught:
        sign_jwt({}, algorithm="HS256", secret=b"short")
    assert str(caught[0].message) == (
        "The secret has 5 bytes; HS256 needs at least 32 (RFC 7518 section 3.2)"
    )


def test_a_key_is_refused_as_an_hmac_secret(key: KeyForms) -> None:
    """PEM text as an HS secret is the algorithm-confusion mistake: refused."""
    with pytest.raises(KeyFormatError) as raised:
        sign_jwt({}, algorithm="HS256", secret=key.spki_pem.encode())
    assert raised.value.message == (
        "Expected an HMAC secret, found a public or private key; use an RS "
        "algorithm for keys"
    )


def test_missing_keys_and_unknown_algorithms_are_errors() -> None:
    with pytest.raises(KeyFormatError, match=r"^Expected a secret for HS256, found"):
        sign_jwt({}, algorithm="HS256")
    with pytest.raises(KeyFormatError, match=r"^Expected a private key for RS256"):
        sign_jwt({}, algorithm="RS256")
    with pytest.raises(ClaimsError) as raised:
        sign_jwt({}, algorithm="none")
    assert raised.value.message == (
        "Expected an algorithm (RS256, RS384, RS512, HS256, HS384, HS512), found 'none'"
    )
