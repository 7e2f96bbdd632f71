"""Just enough DER (ITU-T X.690) to read and write RSA keys.

RSA keys are a handful of SEQUENCEs of INTEGERs. Reading them here, rather
than through pyasn1, keeps key parsing fast in Pyodide (pyasn1 alone costs
~170 ms there from source) and lets every malformed byte get a precise error.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "BIT_STRING",
    "INTEGER",
    "NULL",
    "OCTET_STRING",
    "OID",
    "SEQUENCE",
    "DERError",
    "Element",
    "encode",
    "encode_integer",
    "encode_oid",
    "parse",
    "parse_sequence",
]

INTEGER = 0x02
BIT_STRING = 0x03
OCTET_STRING = 0x04
NULL = 0x05
OID = 0x06
SEQUENCE = 0x30


class DERError(ValueError):
    """Raised when bytes are not well-formed DER; the key parser rewords it."""


@dataclass(frozen=True)
class Element:
    """One tag-length-value element: its tag byte and its content bytes."""

    tag: int
    content: bytes

    def integer(self) -> int:
        """The content as a non-negative INTEGER (RSA key fields are positive)."""
        if self.tag != INTEGER:
            raise DERError(f"expected an INTEGER, found tag 0x{self.tag:02x}")
        if not self.content:
            raise DERError("found an INTEGER with no content")
        if self.content[0] & 0x80:
            raise DERError("found a negative INTEGER")
        return int.from_bytes(self.content, "big")

    def oid(self) -> str:
        """The content as a dotted OBJECT IDENTIFIER (X.690 section 8.19)."""
        if self.tag != OID or not self.content:
            raise DERError(f"expected an OBJECT IDENTIFIER, found tag 0x{self.tag:02x}")
        arcs: list[int] = []
        value = 0
        for byte in self.content:
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                arcs.append(value)
                value = 0
        if not arcs or self.content[-1] & 0x80:
            raise DERError("found an OBJECT IDENTIFIER that does not end")
        first = min(arcs[0] // 40, 2)
        return ".".join(str(arc) for arc in [first, arcs[0] - 40 * first, *arcs[1:]])


def _read(data: bytes, offset: int) -> tuple[Element, int]:
    """Read the element at ``offset``; return it and the offset after it."""
    if offset + 2 > len(data):
        raise DERError("the data ends inside an element header")
    tag = data[offset]
    length = data[offset + 1]
    offset += 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4 or offset + count > len(data):
            raise DERError("an element has an invalid length")
        length = int.from_bytes(data[offset : offset + count], "big")
        offset += count
    end = offset + length
    if end > len(data):
        raise DERError("the data ends before an element does")
    return Element(tag, data[offset:end]), end


def parse(data: bytes) -> Element:
    """Parse exactly one element that spans all of ``data``."""
    element, end = _read(data, 0)
    if end != len(data):
        raise DERError(f"{len(data) - end} bytes follow the end of the key")
    return element


def parse_sequence(data: bytes) -> list[Element]:
    """Parse the elements inside a SEQUENCE's content."""
    elements: list[Element] = []
    offset = 0
    while offset < len(data):
        element, offset = _read(data, offset)
        elements.append(element)
    return elements


def encode(tag: int, content: bytes) -> bytes:
    """Encode one element with a definite, minimal length."""
    length = len(content)
    if length < 0x80:
        return bytes([tag, length]) + content
    size = (length.bit_length() + 7) // 8
    return bytes([tag, 0x80 | size]) + length.to_bytes(size, "big") + content


def encode_integer(value: int) -> bytes:
    """Encode a non-negative INTEGER, with the sign byte DER requires."""
    size = value.bit_length() // 8 + 1
    return encode(INTEGER, value.to_bytes(size, "big"))


def encode_oid(dotted: str) -> bytes:
    """Encode a dotted OBJECT IDENTIFIER."""
    arcs = [int(arc) for arc in dotted.split(".")]
    body = bytearray()
    for arc in [40 * arcs[0] + arcs[1], *arcs[2:]]:
        # Base 128, most significant group first, the high bit set on all but
        # the last (X.690 section 8.19.2).
        groups = [arc & 0x7F]
        rest = arc >> 7
        while rest:
            groups.append(0x80 | (rest & 0x7F))
            rest >>= 7
        body.extend(reversed(groups))
    return encode(OID, bytes(body))
