"""List the standard-library modules the page uses, by using every feature of it.

Runs inside Pyodide under Node (tools/pyodide_run.cjs), never on the host:

    trace_imports.py SITE_DIR OUTPUT_JSON

SITE_DIR holds localjwt and the wheels' packages as the page installs them.
The script imports ``localjwt.web`` as boot.js does, then sends its ``handle``
one request of every op the page can send, with each form of key, good and bad
input, so that lazy imports on rare paths (errors, warnings, each token type)
are reached. It writes, as JSON:

- ``stdlib``: the name and file of every module then loaded from the stdlib
  zip, Pyodide's own start-up imports included;
- ``imported``: every module loaded from the stdlib zip or SITE_DIR, in the
  order they were first imported. The build imports these before it takes the
  page's memory snapshot (tools/snapshot.py), so the page never imports them.

tests/browser/test_trimmed_stdlib.py drives the same features in the built page,
so a module this trace misses fails a test instead of shipping.
"""

import json
import sys

STDLIB_ZIP = "/lib/python314.zip/"
NOW = 1_767_225_600
PLAYBACK_ID = "qxb01i6T202018GFS02vp9RIe01icTcDCjVzQpmaB00CUisJ4"
KEY_ID = "PT74yy9024fVaJjZJaGsHY01XFzoBtWazx4s6S7AkNri4"


def requests(pem: str, mux_base64: str) -> list[dict[str, object]]:
    """One request per feature of the page, plus the errors it can show."""
    keyed = {"private_key": mux_base64, "key_id": KEY_ID, "now": NOW}
    mux_json = json.dumps({"data": {"id": KEY_ID, "private_key": mux_base64}})
    signs: list[dict[str, object]] = [
        {"op": "sign", **keyed, "type": kind, "playback_id": PLAYBACK_ID}
        for kind in ("video", "thumbnail", "gif", "storyboard", "drm_license")
    ]
    signs += [
        {
            "op": "sign",
            **keyed,
            "type": "viewer_counts",
            "id_kind": kind,
            "playback_id": "x",
        }
        for kind in ("video", "asset", "playback", "live_stream")
    ]
    return [
        {"op": "version"},
        {"op": "describe"},
        {"op": "launch"},
        {"op": "inspect_key", "private_key": pem},
        {"op": "inspect_key", "private_key": mux_json},
        {"op": "inspect_key", "private_key": "{oops"},
        {"op": "inspect_key", "private_key": "-----BEGIN PRIVATE KEY-----\nAAAA\n"},
        {"op": "inspect_key", "private_key": "bm90IGEga2V5"},
        {"op": "inspect_key", "private_key": ""},
        *signs,
        {
            "op": "sign",
            **keyed,
            "type": "thumbnail",
            "playback_id": PLAYBACK_ID,
            "params": {"time": "12", "width": "640", "fit_mode": "smartcrop"},
            "custom": '{"sub_id": "x"}',
            "kid_in_header": True,
            "expiration": "2027-01-01T00:00Z",
            "playback_restriction_id": "restriction",
        },
        {"op": "sign", **keyed, "type": "thumbnail", "params": {"width": "wide"}},
        {"op": "sign", **keyed, "type": "gif", "params": {"unknown": "1"}},
        {"op": "sign", **keyed, "playback_id": "a", "custom": "{'a': 1}"},
        {"op": "sign", **keyed, "playback_id": "a", "custom": "[1]"},
        {"op": "sign", **keyed, "playback_id": "a", "expiration": "2020-01-01"},
        {"op": "sign", **keyed, "playback_id": "a", "expiration": "soon"},
        {"op": "sign", **keyed, "key_id": "", "playback_id": "a"},
        {"op": "sign", **keyed, "playback_id": PLAYBACK_ID, "bundle": True},
        {
            "op": "sign",
            **keyed,
            "playback_id": PLAYBACK_ID,
            "bundle": True,
            "drm": True,
            "bundle_params": {"thumbnail": {"time": "3"}},
        },
        {"op": "public_key", "private_key": pem},
        {"op": "test_key", "pkcs8": pem},
        *[
            {"op": "sign_jwt", "algorithm": alg, "private_key": pem, "iat": True}
            for alg in ("RS256", "RS384", "RS512")
        ],
        {
            "op": "sign_jwt",
            "algorithm": "HS256",
            "secret": "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA",
            "secret_encoding": "base64url",
            "header": '{"typ": "JWT"}',
            "payload": '{"sub": "x"}',
            "nbf": "1m",
            "exp": "1h",
        },
        {"op": "sign_jwt", "algorithm": "HS256", "secret": "short", "payload": "[1]"},
        {"op": "sign_jwt", "algorithm": "HS512", "secret": "s" * 64, "header": "{x"},
        {"op": "sign_jwt", "algorithm": "ES256", "private_key": pem},
        {"op": "inspect_token", "token": "not.a.token"},
        {"op": "inspect_token", "token": "https://stream.mux.com/x.m3u8?token=a.b.c"},
        {"op": "clear_key"},
    ]


def main() -> None:
    """Send every bridge request, then list the stdlib modules that were loaded."""
    site, output = sys.argv[1], sys.argv[2]
    sys.path.insert(0, site)
    # Found only once SITE_DIR is on sys.path.
    import localjwt.web  # noqa: PLC0415
    from localjwt import export  # noqa: PLC0415

    handle = localjwt.web.handle
    # localjwt's own PEM writer, not rsa's save_pkcs1: that one imports pyasn1,
    # which no op of the page needs, and the trace would keep it in the page.
    pem = export.private_pem(export.generate_test_key(1024))
    made = json.loads(handle(json.dumps({"op": "test_key", "pkcs8": pem})))
    mux_base64 = made["result"]["private_key"]
    public_pem = made["result"]["public_pem"]

    tokens = []
    for request in requests(pem, mux_base64):
        answer = json.loads(handle(json.dumps(request)))
        for token in (answer.get("result") or {}).get("tokens") or []:
            tokens.append(token["token"])
            tokens.extend(url["url"] for url in token["urls"])
    for token in tokens[:3]:
        handle(json.dumps({"op": "inspect_token", "token": token, "now": NOW}))
        handle(
            json.dumps(
                {"op": "inspect_token", "token": token, "public_key": public_pem}
            )
        )
        handle(json.dumps({"op": "inspect_token", "token": token, "private_key": pem}))
    # Without a PEM from WebCrypto, test_key makes a 2048-bit key in pure
    # Python: generate_test_key above has already loaded what that path needs.

    # sys.modules keeps the order in which modules were first imported.
    loaded = [
        (name, module.__file__)
        for name, module in sys.modules.items()
        if isinstance(getattr(module, "__file__", None), str)
    ]
    found = {
        "stdlib": {
            name: path for name, path in sorted(loaded) if path.startswith(STDLIB_ZIP)
        },
        "imported": [
            name for name, path in loaded if path.startswith((STDLIB_ZIP, site))
        ],
    }
    with open(output, "w", encoding="utf-8") as file:
        json.dump(found, file, indent=1)


if __name__ == "__main__":
    main()
