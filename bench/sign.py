"""Time RS256 signing three ways, and key parsing, in one run.

    .venv/bin/python bench/sign.py [--rounds 7] [--tokens 40]

(a) ``rsa.sign`` over a token's signing input: python-rsa's own full-size
    exponentiation, the baseline the pure path improves on;
(b) localjwt's pure path, ``Signer(key, kid, backend="pure").sign(...)``:
    a whole token (claims, JSON, base64url, CRT signature);
(c) the OpenSSL path, ``backend="openssl"``, the same whole token;
and ``load_signing_key`` on Mux's base64-encoded PEM.

The paths alternate within each round so that noise on a shared machine hits
them alike; each figure is the median over rounds. The Node figure is not
measured here: 3.3 ms per token is the cost of ``jwt.signPlaybackId`` in
``@mux/mux-node`` 14, measured once and fixed as a reference.
"""

from __future__ import annotations

import argparse
import base64
import statistics
import time
from collections.abc import Callable

import rsa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa as openssl_rsa

from localjwt import Signer, load_signing_key

# jwt.signPlaybackId in @mux/mux-node 14, per token (a fixed reference figure).
MUX_NODE_MS = 3.3
PURE_TARGET = 3.0
NODE_TARGET = 3.0

PLAYBACK_ID = "qxb01i6T202018GFS02vp9RIe01icTcDCjVzQpmaB00CUisJ4"
KEY_ID = "PT74yy9024fVaJjZJaGsHY01XFzoBtWazx4s6S7AkNri4"
NOW = 1_767_225_600


def seconds_per_call(action: Callable[[], object], count: int) -> float:
    """Mean wall time of ``count`` calls of ``action``."""
    start = time.perf_counter()
    for _ in range(count):
        action()
    return (time.perf_counter() - start) / count


def report(name: str, seconds: float) -> None:
    """One line: tokens per second and milliseconds per token."""
    print(f"  {name:<34} {1 / seconds:9.1f} /s {seconds * 1000:9.3f} ms")


def main() -> None:
    """Measure, then print medians and the two ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--tokens", type=int, default=40, help="signatures per round")
    args = parser.parse_args()

    openssl_key = openssl_rsa.generate_private_key(65537, 2048)
    pem = openssl_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    mux_base64 = base64.b64encode(pem).decode("ascii")

    key = load_signing_key(mux_base64, key_id=KEY_ID)
    pure = Signer(key, backend="pure")
    openssl = Signer(key, backend="openssl")
    sample = pure.sign(PLAYBACK_ID, "thumbnail", params={"time": 12}, now=NOW)
    signing_input = sample.token.rpartition(".")[0].encode("ascii")
    python_rsa_key: rsa.PrivateKey = key.private_key

    def sign_with_rsa() -> object:
        return rsa.sign(signing_input, python_rsa_key, "SHA-256")

    def sign_pure() -> object:
        return pure.sign(PLAYBACK_ID, "thumbnail", params={"time": 12}, now=NOW)

    def sign_openssl() -> object:
        return openssl.sign(PLAYBACK_ID, "thumbnail", params={"time": 12}, now=NOW)

    def parse_key() -> object:
        return load_signing_key(mux_base64)

    paths = {
        "(a) rsa.sign, signing input only": sign_with_rsa,
        "(b) localjwt pure, whole token": sign_pure,
        "(c) localjwt OpenSSL, whole token": sign_openssl,
        "load_signing_key (Mux base64 PEM)": parse_key,
    }
    counts = {name: args.tokens for name in paths}
    counts["(c) localjwt OpenSSL, whole token"] = args.tokens * 10
    for action in paths.values():  # warm up: imports, caches, OpenSSL key object
        action()

    times: dict[str, list[float]] = {name: [] for name in paths}
    for _ in range(args.rounds):
        for name, action in paths.items():
            times[name].append(seconds_per_call(action, counts[name]))
    median = {name: statistics.median(values) for name, values in times.items()}

    print(
        f"RS256, 2048-bit key, median of {args.rounds} interleaved rounds "
        f"({args.tokens} calls each; OpenSSL {args.tokens * 10})"
    )
    for name, seconds in median.items():
        report(name, seconds)

    a = median["(a) rsa.sign, signing input only"]
    b = median["(b) localjwt pure, whole token"]
    c = median["(c) localjwt OpenSSL, whole token"]
    speedup = a / b
    node_speedup = MUX_NODE_MS / (c * 1000)
    print()
    verdict = "met" if speedup >= PURE_TARGET else "NOT met"
    print(
        f"  pure vs rsa.sign: {speedup:.2f}x faster "
        f"(target >= {PURE_TARGET:g}x: {verdict})"
    )
    print(
        f"  OpenSSL vs @mux/mux-node 14 signPlaybackId at {MUX_NODE_MS} ms/token "
        f"(fixed reference figure, not measured here): {node_speedup:.1f}x faster "
        f"(target >= {NODE_TARGET:g}x: "
        f"{'met' if node_speedup >= NODE_TARGET else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
