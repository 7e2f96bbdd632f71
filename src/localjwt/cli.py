"""The ``localjwt`` command: sign, decode, keygen and types.

``localjwt sign`` takes the options of ``mux sign`` (``@mux/cli`` 2) so that
someone used to it feels at home, but needs no Mux API credentials and no
network: only the signing key, from ``MUX_SIGNING_KEY`` and
``MUX_PRIVATE_KEY`` or from options. Bad input ends with exit status 2 and one
line on standard error; ``decode`` exits 1 when Mux would refuse the token.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from . import __version__
from .anyjwt import ALGORITHMS, SecretEncoding, hmac_secret, sign_jwt, timed_claims
from .errors import LocalJWTError
from .expiry import DEFAULT_EXPIRATION, describe_exp
from .export import generate_test_key, public_pem, to_jwk, to_mux_base64
from .inspect import decode, diagnose
from .jsontext import parse_object
from .keys import SigningKey, load_signing_key, load_verifying_key
from .mux import TOKEN_TYPES, TYPE_NAMES, VIEWER_COUNT_KINDS, token_type
from .tokens import PlayerBundle, SignedToken, Signer

__all__ = ["main"]

_EPILOG = """\
keys:
  The signing key comes from --key-id and --private-key, or from the
  environment variables MUX_SIGNING_KEY and MUX_PRIVATE_KEY that Mux's tools
  read. --private-key takes the key itself, @FILE, or - for standard input,
  in any form: Mux's base64 string, PEM (PKCS #1 or #8), JWK, or the JSON
  body of Mux's signing-key API (which carries the key ID too).
  A key typed as a value shows in shell history and the process list:
  prefer the environment, @FILE or -.

examples:
  localjwt sign abc123                          signed HLS URL, valid 7 days
  localjwt sign abc123 -t thumbnail -p time=12 -p width=640
  localjwt sign abc123 --player --drm -e 1d     tokens for <mux-player>
  localjwt decode 'https://stream.mux.com/abc123.m3u8?token=eyJ...'
  localjwt keygen > .env                        a throwaway key to try things
  localjwt jwt --alg HS256 --secret @secret.txt --payload '{"sub":"me"}' -e 1h
"""


class UsageError(LocalJWTError):
    """Raised for options that do not fit together."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            status: int = args.run(args)
        except LocalJWTError as error:
            _report_warnings(caught)
            option = f" ({_option_for(error.field)})" if error.field else ""
            print(f"localjwt: error{option}: {error.message}", file=sys.stderr)
            return 2
        except OSError as error:
            _report_warnings(caught)
            print(
                f"localjwt: error: {error.strerror}: {error.filename}", file=sys.stderr
            )
            return 2
    _report_warnings(caught)
    return status


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="localjwt",
        description="Sign Mux tokens offline, with keys that never leave this machine.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_EPILOG,
    )
    parser.add_argument(
        "--version", action="version", version=f"localjwt {__version__}"
    )
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    sign = commands.add_parser(
        "sign",
        help="sign a token for a playback ID and print its URL",
        description="Sign a Mux token and print the signed URL (or the token).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_EPILOG,
    )
    sign.add_argument(
        "playback_id",
        metavar="PLAYBACK_ID",
        help="the playback ID (or asset, live stream or video ID for viewer counts)",
    )
    sign.add_argument(
        "-t",
        "--type",
        default="video",
        metavar="TYPE",
        help=f"token type: {', '.join(TYPE_NAMES)} (default video)",
    )
    sign.add_argument(
        "--id-kind",
        choices=tuple(VIEWER_COUNT_KINDS),
        default=None,
        help="for viewer_counts: the kind of ID (default video)",
    )
    sign.add_argument(
        "-e",
        "--expiration",
        default=DEFAULT_EXPIRATION,
        metavar="WHEN",
        help="duration (90s, 15m, 12h, 7d, 2w, 1h30m), "
        "seconds, or ISO 8601 date (default 7d)",
    )
    sign.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="K=V",
        help="a claim such as time=12; repeatable; with --player, "
        "prefix the type: thumbnail.time=12",
    )
    sign.add_argument(
        "--params-json",
        metavar="JSON",
        help="claims as a JSON object (keyed by type with --player)",
    )
    sign.add_argument(
        "--playback-restriction-id",
        metavar="ID",
        help="a playback restriction (allowed referrers, user agents) to apply",
    )
    sign.add_argument("--custom", metavar="JSON", help="a custom claims object")
    sign.add_argument(
        "--player",
        action="store_true",
        help="sign video, thumbnail and storyboard tokens for Mux Player",
    )
    sign.add_argument(
        "--drm", action="store_true", help="with --player: add a DRM token"
    )
    sign.add_argument(
        "--kid-in-header",
        action="store_true",
        help="put kid in the JWT header too (it is always in the payload)",
    )
    _key_options(sign)
    output = sign.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON")
    output.add_argument(
        "--token-only", action="store_true", help="print the token only"
    )
    sign.set_defaults(run=_run_sign)

    inspect = commands.add_parser(
        "decode",
        help="decode a token or signed URL and say what Mux would make of it",
        description="Decode a token or a signed URL. With a key, check the signature. "
        "Exit status 1 when Mux would refuse the token.",
    )
    inspect.add_argument("token", metavar="TOKEN_OR_URL", help="a JWT, a URL, or -")
    inspect.add_argument(
        "--key",
        metavar="KEY",
        help="public or private key to check the signature: value, @FILE or -",
    )
    inspect.add_argument("--key-id", help="the signing key ID the token should name")
    inspect.add_argument("--json", action="store_true", help="print JSON")
    inspect.set_defaults(run=_run_decode)

    keygen = commands.add_parser(
        "keygen",
        help="make a throwaway 2048-bit test key in Mux's format",
        description="Print a new test key as MUX_SIGNING_KEY and MUX_PRIVATE_KEY "
        "lines (a made-up key ID; Mux will not know it).",
    )
    keygen.add_argument(
        "--json",
        action="store_true",
        help="print Mux's signing-key API JSON and the public key",
    )
    keygen.set_defaults(run=_run_keygen)

    any_jwt = commands.add_parser(
        "jwt",
        help="sign any JWT (RS256/384/512 with the key, HS256/384/512 with a secret)",
        description="Sign any JWT, for services other than Mux. RS algorithms use "
        "the same key options as sign; HS algorithms take --secret.",
    )
    any_jwt.add_argument("--alg", choices=ALGORITHMS, default="RS256")
    any_jwt.add_argument("--payload", metavar="JSON", help="claims: JSON, @FILE or -")
    any_jwt.add_argument("--header", metavar="JSON", help="extra header members")
    any_jwt.add_argument(
        "--secret",
        metavar="SECRET",
        help="HMAC secret: value, @FILE or - (default: $JWT_SECRET)",
    )
    any_jwt.add_argument(
        "--secret-base64url",
        action="store_true",
        help="decode the secret from base64url",
    )
    any_jwt.add_argument("--iat", action="store_true", help="add iat (now)")
    any_jwt.add_argument("--nbf", metavar="WHEN", help="add nbf: now, or a duration")
    any_jwt.add_argument("-e", "--expiration", metavar="WHEN", help="add exp")
    any_jwt.add_argument("--key-id", metavar="ID", help="put kid in the header")
    any_jwt.add_argument(
        "--private-key",
        metavar="KEY",
        help="for RS: value, @FILE or - (default: $MUX_PRIVATE_KEY)",
    )
    any_jwt.set_defaults(run=_run_jwt)

    types = commands.add_parser("types", help="list token types and their parameters")
    types.set_defaults(run=_run_types)
    return parser


def _key_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--key-id", metavar="ID", help="signing key ID (default: $MUX_SIGNING_KEY)"
    )
    parser.add_argument(
        "--private-key",
        metavar="KEY",
        help="private key: value, @FILE or - (default: $MUX_PRIVATE_KEY)",
    )
    parser.add_argument(
        "--backend",
        choices=("auto", "pure", "openssl"),
        default="auto",
        help="pure Python or OpenSSL (needs cryptography); same bytes",
    )


def _read_value(value: str) -> str:
    """An option's value: itself, the contents of @FILE, or standard input."""
    if value == "-":
        return sys.stdin.read()
    if value.startswith("@"):
        with open(value[1:], encoding="utf-8") as file:
            return file.read()
    return value


def _signer(args: argparse.Namespace) -> Signer:
    source = args.private_key or os.environ.get("MUX_PRIVATE_KEY")
    if not source:
        raise LocalJWTError(
            "Expected a private key, found none: set MUX_PRIVATE_KEY or pass "
            "--private-key",
            field="private_key",
        )
    key = load_signing_key(_read_value(source))
    key_id = args.key_id or (None if key.key_id else os.environ.get("MUX_SIGNING_KEY"))
    return Signer(key, key_id, kid_in_header=args.kid_in_header, backend=args.backend)


def _json_option(text: str | None, field: str) -> dict[str, Any]:
    return parse_object(None if text is None else _read_value(text), field=field)


def _params(args: argparse.Namespace) -> dict[str, Any]:
    params = _json_option(args.params_json, "params")
    for item in args.param:
        name, equals, value = item.partition("=")
        if not equals or not name.strip():
            raise UsageError(
                f"Expected -p NAME=VALUE, found {item[:40]!r}", field="params"
            )
        if args.player:
            kind, dot, name = name.partition(".")
            if not dot:
                raise UsageError(
                    f"Expected -p TYPE.NAME=VALUE with --player, found {item[:40]!r}",
                    field="params",
                )
            params.setdefault(token_type(kind).name, {})[name.strip()] = value
        else:
            params[name.strip()] = value
    return params


def _run_sign(args: argparse.Namespace) -> int:
    if args.drm and not args.player:
        raise UsageError(
            "Expected --drm with --player; for one DRM token use -t drm_license"
        )
    signer = _signer(args)
    common: dict[str, Any] = {
        "expiration": args.expiration,
        "params": _params(args),
        "playback_restriction_id": args.playback_restriction_id,
        "custom": _json_option(args.custom, "custom") if args.custom else None,
    }
    now = time.time()
    if args.player:
        bundle = signer.sign_player_bundle(
            args.playback_id, drm=args.drm, now=now, **common
        )
        _print_bundle(bundle, args, now)
    else:
        signed = signer.sign(
            args.playback_id, args.type, id_kind=args.id_kind, now=now, **common
        )
        _print_token(signed, args, now)
    return 0


def _token_json(signed: SignedToken, now: float) -> dict[str, Any]:
    return {
        "type": signed.token_type.name,
        "playback_id": signed.subject,
        "token": signed.token,
        "url": signed.url,
        "urls": dict(signed.urls),
        "expires": datetime.fromtimestamp(signed.exp, UTC).isoformat(),
        "expires_in_words": describe_exp(signed.exp, now=now),
        "header": signed.header,
        "payload": signed.claims,
    }


def _print_token(signed: SignedToken, args: argparse.Namespace, now: float) -> None:
    if args.json:
        print(json.dumps(_token_json(signed, now), indent=2))
    elif args.token_only:
        print(signed.token)
    else:
        print(signed.url)


def _print_bundle(bundle: PlayerBundle, args: argparse.Namespace, now: float) -> None:
    if args.json:
        document = {
            "playback_id": bundle.playback_id,
            "tokens": {name: t.token for name, t in bundle.tokens.items()},
            "player_url": bundle.player_url,
            "snippet": bundle.snippet,
            "details": {name: _token_json(t, now) for name, t in bundle.tokens.items()},
        }
        print(json.dumps(document, indent=2))
    elif args.token_only:
        for name, signed in bundle.tokens.items():
            print(f"{name}={signed.token}")
    else:
        print(bundle.snippet)
        print()
        print(bundle.player_url)


def _run_decode(args: argparse.Namespace) -> int:
    decoded = decode(_read_value(args.token))
    key = None
    if args.key:
        key = load_verifying_key(_read_value(args.key))
    findings = diagnose(decoded, now=time.time(), key=key, key_id=args.key_id)
    if args.json:
        document = {
            "header": decoded.header,
            "payload": decoded.claims,
            "findings": [
                {"level": f.level, "code": f.code, "message": f.message}
                for f in findings
            ],
        }
        print(json.dumps(document, indent=2))
    else:
        print("header  ", json.dumps(decoded.header))
        print("payload ", json.dumps(decoded.claims, indent=2, ensure_ascii=False))
        marks = {"error": "x", "warning": "!", "ok": "ok"}
        for finding in findings:
            print(f"[{marks[finding.level]}] {finding.message}")
    return 1 if any(f.level == "error" for f in findings) else 0


def _run_jwt(args: argparse.Namespace) -> int:
    now = time.time()
    payload = _json_option(args.payload, "payload")
    payload |= timed_claims(now=now, iat=args.iat, nbf=args.nbf, exp=args.expiration)
    header = _json_option(args.header, "header")
    if args.key_id:
        header["kid"] = args.key_id
    key, secret = None, None
    if args.alg.startswith("HS"):
        source = args.secret or os.environ.get("JWT_SECRET") or ""
        encoding: SecretEncoding = "base64url" if args.secret_base64url else "utf-8"
        secret = hmac_secret(_read_value(source) if source else "", encoding)
    else:
        source = args.private_key or os.environ.get("MUX_PRIVATE_KEY")
        if not source:
            raise LocalJWTError(
                f"Expected a private key for {args.alg}, found none: set "
                "MUX_PRIVATE_KEY or pass --private-key",
                field="private_key",
            )
        key = load_signing_key(_read_value(source))
    print(sign_jwt(payload, algorithm=args.alg, header=header, key=key, secret=secret))
    return 0


def _run_keygen(args: argparse.Namespace) -> int:
    key: SigningKey = generate_test_key()
    if args.json:
        document = {
            "data": {
                "id": key.key_id,
                "private_key": to_mux_base64(key),
                "created_at": str(int(time.time())),
            },
            "public_key": {"pem": public_pem(key), "jwk": to_jwk(key)},
        }
        print(json.dumps(document, indent=2))
    else:
        print("# A throwaway test key made by localjwt keygen; Mux does not know it.")
        print(f"MUX_SIGNING_KEY={key.key_id}")
        print(f"MUX_PRIVATE_KEY={to_mux_base64(key)}")
    return 0


def _run_types(_args: argparse.Namespace) -> int:
    for kind in TOKEN_TYPES.values():
        print(f"{kind.name:<26} aud={kind.aud:<15} {kind.id_label}")
        for p in kind.parameters:
            choices = f" ({', '.join(p.choices)})" if p.choices else ""
            print(f"    {p.name:<24} {p.kind:<10} {p.help}{choices}")
    return 0


def _option_for(field: str) -> str:
    if field.startswith("params."):
        return f"-p {field.removeprefix('params.')}"
    options = {
        "private_key": "--private-key",
        "key_id": "--key-id",
        "expiration": "--expiration",
        "playback_id": "PLAYBACK_ID",
        "type": "--type",
        "params": "--param",
        "custom": "--custom",
        "token": "TOKEN_OR_URL",
        "secret": "--secret",
        "payload": "--payload",
        "header": "--header",
        "algorithm": "--alg",
        "playback_restriction_id": "--playback-restriction-id",
    }
    return options.get(field, field)


def _report_warnings(caught: list[warnings.WarningMessage]) -> None:
    for warning in caught:
        print(f"localjwt: warning: {warning.message}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
