"""Just enough DER: reading and writing the elements RSA keys are made of."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from localjwt import der


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        (0, "020100"),
        (127, "02017f"),
        (128, "02020080"),
        (255, "020200ff"),
        (256, "02020100"),
        (65537, "0203010001"),
    ],
)
def test_integers_encode_with_the_sign_byte_der_requires(
    value: int, encoded: str
) -> None:
    """X.690 section 8.3: a leading 0x00 keeps a high first bit positive."""
    assert der.encode_integer(value).hex() == encoded


@given(st.integers(min_value=0, max_value=2**4096))
def test_integers_round_trip(value: int) -> None:
    """Whatever is encoded reads back as the same number."""
    assert der.parse(der.encode_integer(value)).integer() == value


@pytest.mark.parametrize(
    ("length", "header"),
    [(0, "0400"), (127, "047f"), (128, "048180"), (255, "0481ff"), (256, "04820100")],
)
def test_lengths_use_the_short_form_below_128_and_the_long_form_above(
    length: int, header: str
) -> None:
    """Definite, minimal lengths (X.690 section 10.1)."""
    encoded = der.encode(der.OCTET_STRING, bytes(length))

    assert encoded.hex().startswith(header)
    assert der.parse(encoded) == der.Element(der.OCTET_STRING, bytes(length))


@pytest.mark.parametrize(
    ("dotted", "encoded"),
    [
        ("1.2.840.113549.1.1.1", "06092a864886f70d010101"),
        ("1.2.840.10045.2.1", "06072a8648ce3d0201"),
        ("1.3.101.112", "06032b6570"),
    ],
)
def test_oids_encode_and_read_back(dotted: str, encoded: str) -> None:
    """rsaEncryption, id-ecPublicKey and Ed25519, as OpenSSL writes them."""
    assert der.encode_oid(dotted).hex() == encoded
    assert der.parse(bytes.fromhex(encoded)).oid() == dotted


def test_a_sequence_reads_as_its_elements() -> None:
    """parse_sequence walks the content of a SEQUENCE."""
    body = der.encode_integer(1) + der.encode(der.NULL, b"") + der.encode_integer(2)
    top = der.parse(der.encode(der.SEQUENCE, body))

    assert top.tag == der.SEQUENCE
    assert [e.tag for e in der.parse_sequence(top.content)] == [
        der.INTEGER,
        der.NULL,
        der.INTEGER,
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("02", "the data ends inside an element header"),
        ("0203 0100", "the data ends before an element does"),
        ("0480", "an element has an invalid length"),
        ("0485 0000000001 00", "an element has an invalid length"),
        ("0482 01", "an element has an invalid length"),
        ("0500 0000", "2 bytes follow the end of the key"),
    ],
)
def test_malformed_elements_are_refused(data: str, message: str) -> None:
    """Each way DER can be cut or padded has its own message."""
    with pytest.raises(der.DERError) as caught:
        der.parse(bytes.fromhex(data.replace(" ", "")))

    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("0500", "expected an INTEGER, found tag 0x05"),
        ("0200", "found an INTEGER with no content"),
        ("020180", "found a negative INTEGER"),
    ],
)
def test_integers_that_cannot_be_rsa_numbers_are_refused(
    data: str, message: str
) -> None:
    """RSA key fields are positive INTEGERs."""
    with pytest.raises(der.DERError) as caught:
        der.parse(bytes.fromhex(data)).integer()

    assert str(caught.value) == message


def test_an_oid_of_the_wrong_tag_is_refused() -> None:
    """Only tag 0x06 reads as an OBJECT IDENTIFIER."""
    with pytest.raises(der.DERError) as caught:
        der.parse(bytes.fromhex("0500")).oid()

    assert str(caught.value) == "expected an OBJECT IDENTIFIER, found tag 0x05"


def test_an_oid_that_never_ends_is_refused() -> None:
    """Content whose every byte says "more follows" is damaged, not a crash."""
    with pytest.raises(der.DERError):
        der.parse(bytes.fromhex("060180")).oid()


@given(st.binary(max_size=64))
def test_any_bytes_parse_or_raise_der_error(data: bytes) -> None:
    """parse never fails with anything but DERError."""
    try:
        element = der.parse(data)
    except der.DERError:
        return
    try:
        der.parse_sequence(element.content)
    except der.DERError:
        return
