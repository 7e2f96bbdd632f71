"""RS256/384/512 on python-rsa: Wycheproof vectors, OpenSSL agreement, PyJWT."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import jwt
import pytest
import rsa
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from keyforms import KeyForms

from localjwt import KeyFormatError, load_signing_key, load_verifying_key
from localjwt.algorithms import (
    HASHES,
    ExternalSignatures,
    RSAPKCS1Algorithm,
    make_jws,
    openssl_available,
    sign_pkcs1,
    verify_pkcs1,
)
from localjwt.keys import SigningKey

# Kept in the repository (see its README.md), so any clone runs them.
VECTORS = Path(__file__).resolve().parent / "vectors" / "wycheproof"

# Wycheproof's hash names, for the three hashes JWS uses (RFC 7518 section 3.3).
WYCHEPROOF_HASHES = {"SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512"}

SIGNATURE_GENERATION = [
    f"rsa_pkcs1_{bits}_sig_gen_test.json" for bits in (2048, 3072, 4096)
]
SIGNATURE_VERIFICATION = [
    "rsa_signature_2048_sha256_test.json",
    "rsa_signature_2048_sha384_test.json",
    "rsa_signature_2048_sha512_test.json",
    "rsa_signature_3072_sha256_test.json",
    "rsa_signature_4096_sha256_test.json",
]

OPENSSL_HASHES = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


def vectors(name: str) -> dict[str, Any]:
    """One Wycheproof file; a missing file fails the test rather than skipping it."""
    path = VECTORS / name
    assert path.is_file(), f"Wycheproof vectors missing: expected {path}"
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def b64url(data: bytes) -> str:
    """base64url without padding, as JWS writes every part (RFC 7515 section 2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def openssl_signature(forms: KeyForms, message: bytes, hash_name: str) -> bytes:
    """OpenSSL's RSASSA-PKCS1-v1_5 signature of ``message``."""
    return forms.openssl.sign(message, padding.PKCS1v15(), OPENSSL_HASHES[hash_name]())


def test_the_wycheproof_vectors_are_present() -> None:
    """The vectors are part of the suite; without them it must fail, not pass."""
    for name in SIGNATURE_GENERATION + SIGNATURE_VERIFICATION:
        assert (VECTORS / name).is_file(), name


@pytest.mark.parametrize("name", SIGNATURE_GENERATION)
def test_signatures_match_wycheproof_byte_for_byte(name: str) -> None:
    """PKCS #1 v1.5 is deterministic, so every valid vector is reproduced exactly."""
    checked = 0
    for group in vectors(name)["testGroups"]:
        hash_name = WYCHEPROOF_HASHES.get(group["sha"])
        if hash_name is None:
            continue
        key = load_signing_key(group["privateKeyPem"])
        from_pkcs8 = load_signing_key(bytes.fromhex(group["privateKeyPkcs8"]))
        assert key.private_key == from_pkcs8.private_key
        assert key.private_key.n == int(group["privateKey"]["modulus"], 16)
        for case in group["tests"]:
            if case["result"] != "valid":
                continue
            message = bytes.fromhex(case["msg"])
            signature = sign_pkcs1(message, key.private_key, hash_name)
            assert signature.hex() == case["sig"], case["tcId"]
            checked += 1

    assert checked > 0


@pytest.mark.parametrize("name", SIGNATURE_VERIFICATION)
def test_verification_agrees_with_every_wycheproof_verdict(name: str) -> None:
    """Valid signatures verify and every flawed one is refused."""
    document = vectors(name)
    counts = {"valid": 0, "invalid": 0}
    for group in document["testGroups"]:
        hash_name = WYCHEPROOF_HASHES[group["sha"]]
        key = load_verifying_key(bytes.fromhex(group["publicKeyDer"])).public_key
        assert key.n == int(group["publicKey"]["modulus"], 16)
        assert key.e == int(group["publicKey"]["publicExponent"], 16)
        for case in group["tests"]:
            if case["result"] not in counts:
                continue  # "acceptable": legacy encodings either verdict may take
            message, signature = bytes.fromhex(case["msg"]), bytes.fromhex(case["sig"])
            verdict = verify_pkcs1(message, signature, key, hash_name)
            assert verdict is (case["result"] == "valid"), (case["tcId"], case["flags"])
            counts[case["result"]] += 1

    assert counts["valid"] > 0
    assert counts["invalid"] > 0


def test_the_wycheproof_verification_keys_load_from_jwk_and_pem_alike() -> None:
    """Each vector's public key reads the same from its JWK and its PEM."""
    for name in SIGNATURE_VERIFICATION:
        for group in vectors(name)["testGroups"]:
            from_jwk = load_verifying_key(json.dumps(group["keyJwk"])).public_key
            from_pem = load_verifying_key(group["publicKeyPem"]).public_key
            assert from_jwk == from_pem


def test_openssl_is_available_in_the_test_environment() -> None:
    """The OpenSSL comparisons below need cryptography, pinned for tests."""
    assert openssl_available()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.integers(min_value=0, max_value=3),
    st.sampled_from(sorted(HASHES)),
    st.binary(max_size=300),
)
def test_the_pure_and_openssl_paths_sign_identical_bytes(
    key_pool: list[KeyForms], index: int, algorithm: str, message: bytes
) -> None:
    """CRT signing in Python and OpenSSL's signing give the same signature."""
    forms = key_pool[index]
    signing_key = forms.signing_key
    hash_name = HASHES[algorithm]

    pure = RSAPKCS1Algorithm(algorithm, "pure").sign(message, signing_key)
    openssl = RSAPKCS1Algorithm(algorithm, "openssl").sign(message, signing_key)

    assert pure == openssl == openssl_signature(forms, message, hash_name)
    assert pure == rsa.sign(
        message, forms.rsa_private_key, hash_name.upper().replace("SHA", "SHA-")
    )


def test_the_openssl_key_object_is_rebuilt_for_a_different_key(
    key_pool: list[KeyForms],
) -> None:
    """One algorithm object signing with two keys uses each key's own numbers."""
    algorithm = RSAPKCS1Algorithm("RS256", "openssl")
    first, second = key_pool[0], key_pool[1]

    assert algorithm.sign(b"m", first.signing_key) == openssl_signature(
        first, b"m", "sha256"
    )
    assert algorithm.sign(b"m", second.signing_key) == openssl_signature(
        second, b"m", "sha256"
    )


@pytest.mark.parametrize("algorithm", ["RS256", "RS384", "RS512"])
@pytest.mark.parametrize("backend", ["pure", "openssl"])
def test_tokens_from_make_jws_verify_in_stock_pyjwt(
    key: KeyForms, algorithm: str, backend: str
) -> None:
    """PyJWT's own OpenSSL-backed RSA algorithms accept localjwt's tokens."""
    jws = make_jws(backend)  # type: ignore[arg-type]
    token = jws.encode(b'{"sub":"abc"}', key.signing_key, algorithm=algorithm)

    header = jwt.get_unverified_header(token)
    payload = jwt.PyJWS().decode(token, key.spki_pem, algorithms=[algorithm])

    assert header == {"alg": algorithm, "typ": "JWT"}
    assert payload == b'{"sub":"abc"}'


@pytest.mark.parametrize("algorithm", ["RS256", "RS384", "RS512"])
def test_make_jws_verifies_what_stock_pyjwt_signs(
    key: KeyForms, algorithm: str
) -> None:
    """And the other way round: localjwt verifies OpenSSL-made tokens."""
    token = jwt.PyJWS().encode(b"payload", key.pkcs8_pem, algorithm=algorithm)

    jws = make_jws("pure")
    verifying = load_verifying_key(key.spki_pem)

    assert jws.decode(token, verifying, algorithms=[algorithm]) == b"payload"
    assert jws.decode(token, key.signing_key, algorithms=[algorithm]) == b"payload"


def test_a_tampered_token_does_not_verify(key: KeyForms) -> None:
    """Changing one character of the payload breaks the signature."""
    jws = make_jws("pure")
    token = jws.encode(b"abc", key.signing_key, algorithm="RS256")
    header, _, signature = token.split(".")
    tampered = ".".join([header, b64url(b"abd"), signature])

    with pytest.raises(jwt.InvalidSignatureError):
        jws.decode(tampered, load_verifying_key(key.spki_pem), algorithms=["RS256"])


def test_make_jws_leaves_pyjwt_global_registry_untouched(key: KeyForms) -> None:
    """Other code in the same process keeps PyJWT's stock algorithms."""
    registry = jwt.api_jws._jws_global_obj._algorithms
    before = dict(registry)

    jws = make_jws("pure")
    jws.encode(b"x", key.signing_key, algorithm="RS256")

    assert registry == before
    assert all(registry[name] is before[name] for name in before)
    assert not isinstance(registry["RS256"], RSAPKCS1Algorithm)
    assert isinstance(jws.get_algorithm_by_name("RS256"), RSAPKCS1Algorithm)


def test_make_jws_offers_exactly_the_rs_and_hs_families() -> None:
    """No "none", no PS or ES: only what localjwt means to sign with."""
    expected = {"RS256", "RS384", "RS512", "HS256", "HS384", "HS512"}

    assert set(make_jws("pure").get_algorithms()) == expected


@pytest.mark.parametrize(
    ("algorithm", "digest"),
    [("HS256", hashlib.sha256), ("HS384", hashlib.sha384), ("HS512", hashlib.sha512)],
)
def test_hmac_through_make_jws_matches_hmac_directly(
    algorithm: str, digest: Any
) -> None:
    """HS tokens are the plain HMAC of the signing input (RFC 7515 appendix A.1)."""
    # 64 bytes: PyJWT warns about shorter HS512 keys (RFC 7518 section 3.2).
    secret = bytes(range(64))
    token = make_jws("pure").encode(b'{"sub":"abc"}', secret, algorithm=algorithm)

    signing_input, _, signature = token.rpartition(".")
    expected = hmac.new(secret, signing_input.encode("ascii"), digest).digest()

    assert signature == b64url(expected)


def test_signing_with_a_public_key_is_refused(key: KeyForms) -> None:
    """A public key can verify but not sign; the message says so."""
    algorithm = RSAPKCS1Algorithm("RS256", "pure")
    public = algorithm.prepare_key(key.spki_pem)

    with pytest.raises(KeyFormatError) as caught:
        algorithm.sign(b"m", public)

    assert caught.value.message == "Expected an RSA private key, found a public key"


def test_prepare_key_takes_every_kind_of_key(key: KeyForms) -> None:
    """Loaded keys pass through; python-rsa keys and pasted text are wrapped."""
    algorithm = RSAPKCS1Algorithm("RS256", "pure")
    public = rsa.PublicKey(*key.numbers[:2])

    assert algorithm.prepare_key(key.signing_key) is key.signing_key
    assert algorithm.prepare_key(key.rsa_private_key).form == "rsa.PrivateKey"
    assert algorithm.prepare_key(public).form == "rsa.PublicKey"
    assert isinstance(algorithm.prepare_key(key.mux_base64), SigningKey)
    assert algorithm.prepare_key(key.spki_pem).form == "PEM (SPKI public key)"


def test_prepare_key_refuses_other_objects() -> None:
    """Anything that is not a key or key text is a KeyFormatError."""
    with pytest.raises(KeyFormatError) as caught:
        RSAPKCS1Algorithm("RS256", "pure").prepare_key(12345)

    assert caught.value.message == "Expected an RSA key, found an object of type int"


def test_short_keys_are_not_warned_about_again_on_each_signature(
    weak_key: KeyForms,
) -> None:
    """The weak-key warning belongs to loading, so signing stays quiet."""
    assert (
        RSAPKCS1Algorithm("RS256", "pure").check_key_length(weak_key.signing_key)
        is None
    )


def test_a_key_too_short_for_the_hash_is_refused() -> None:
    """A 512-bit key holds an RS256 signature but not an RS512 one."""
    _, private = rsa.newkeys(512)

    assert (
        verify_pkcs1(b"m", bytes(64), rsa.PublicKey(private.n, private.e), "sha512")
        is False
    )
    with pytest.raises(KeyFormatError) as caught:
        sign_pkcs1(b"m", private, "sha512")

    assert caught.value.message == (
        "Expected a key of at least 752 bits for sha512, found 512 bits"
    )


def test_signatures_of_the_wrong_length_or_size_do_not_verify(key: KeyForms) -> None:
    """A signature must be exactly the modulus length and below the modulus."""
    public = rsa.PublicKey(*key.numbers[:2])
    good = sign_pkcs1(b"m", key.rsa_private_key, "sha256")

    assert verify_pkcs1(b"m", good, public, "sha256") is True
    assert verify_pkcs1(b"m", good[1:], public, "sha256") is False
    assert verify_pkcs1(b"m", b"\x00" + good, public, "sha256") is False
    assert verify_pkcs1(b"m", b"\xff" * len(good), public, "sha256") is False
    assert verify_pkcs1(b"n", good, public, "sha256") is False


def test_jwk_round_trips_through_the_algorithm(key: KeyForms) -> None:
    """PyJWT's to_jwk and from_jwk hooks give back the same key."""
    as_text = RSAPKCS1Algorithm.to_jwk(key.signing_key)
    as_dict = RSAPKCS1Algorithm.to_jwk(key.signing_key, as_dict=True)

    assert json.loads(as_text) == as_dict
    assert RSAPKCS1Algorithm.from_jwk(as_dict).public_key == rsa.PublicKey(
        *key.numbers[:2]
    )


def test_external_signatures_record_what_they_lack(key: KeyForms) -> None:
    """Without a given signature, the input is noted and a placeholder returned."""
    external = ExternalSignatures()
    placeholder = external.sign(b"a.b", key.rsa_private_key, "sha256")
    assert placeholder == bytes(256)
    assert external.missing == [(b"a.b", "sha256")]


def test_external_signatures_are_used_once_they_verify(key: KeyForms) -> None:
    """OpenSSL's signature, given from outside, is the one used."""
    openssl = key.openssl.sign(b"a.b", padding.PKCS1v15(), hashes.SHA384())
    external = ExternalSignatures({b"a.b": openssl})
    assert external.sign(b"a.b", key.rsa_private_key, "sha384") == openssl
    assert external.missing == []


def test_a_wrong_external_signature_is_replaced_by_a_right_one(key: KeyForms) -> None:
    """A signature that does not verify never reaches a token: Python signs."""
    right = key.openssl.sign(b"a.b", padding.PKCS1v15(), hashes.SHA256())
    wrong = bytes([right[0] ^ 1]) + right[1:]
    external = ExternalSignatures({b"a.b": wrong}, sign_missing=True)
    assert external.sign(b"a.b", key.rsa_private_key, "sha256") == right
    assert external.sign(b"c.d", key.rsa_private_key, "sha256") == key.openssl.sign(
        b"c.d", padding.PKCS1v15(), hashes.SHA256()
    )
