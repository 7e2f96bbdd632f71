"""The page ships only the stdlib modules it uses, and every feature still works.

tools/python_zip.py keeps the modules that tools/in_pyodide/trace_imports.py
saw loaded while it drove each op of the bridge. These tests drive the same
ops in the built page, so a module the trace missed fails here, not in a
person's browser.
"""

from __future__ import annotations

import base64
import importlib.util
import json
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from harness import PYODIDE_SPY, ROOT
from playwright.sync_api import Page

from localjwt import web

TRACE = ROOT / "tools" / "in_pyodide" / "trace_imports.py"

# Left out of the page: PyJWT's JWKS client needs them, and the build puts a
# stub in its place (tools/in_pyodide/jwks_client.py).
NETWORK_MODULES = ("urllib.request", "http.client", "email.message")


def trace_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("trace_imports", TRACE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pem_and_mux_base64() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode("ascii")
    return pem, base64.b64encode(pem.encode("ascii")).decode("ascii")


def test_the_trace_drives_every_op_of_the_bridge() -> None:
    """A new op in localjwt.web must be added to the trace, or it may break."""
    requests = trace_script().requests("pem", "mux")

    assert {str(request["op"]) for request in requests} >= set(web._OPERATIONS)


@pytest.mark.browser
def test_every_op_answers_without_an_internal_error_in_the_page(
    offline_page: Page,
) -> None:
    """Each request of the trace gets a real answer: no module is missing.

    A missing module would surface as ``Internal error (ModuleNotFoundError)``
    from the bridge's catch-all.
    """
    pem, mux_base64 = pem_and_mux_base64()
    requests = trace_script().requests(pem, mux_base64)
    answers: list[dict[str, Any]] = offline_page.evaluate(
        """async (requests) => {
          const answers = [];
          for (const request of requests) {
            const { op, ...args } = request;
            answers.push(await window.localjwt.call(op, args));
          }
          return answers;
        }""",
        requests,
    )

    internal = [
        (request["op"], answer["error"]["message"])
        for request, answer in zip(requests, answers, strict=True)
        if not answer["ok"] and "Internal error" in answer["error"]["message"]
    ]
    assert internal == []
    assert sum(answer["ok"] for answer in answers) > len(answers) // 2


@pytest.mark.browser
def test_the_page_ships_no_jwks_client_and_none_of_its_network_modules(
    offline_page_with_python: Page,
) -> None:
    """PyJWT imports, its JWKS client explains itself, the network stack is gone."""
    found = offline_page_with_python.evaluate(
        """(names) => globalThis.testPyodide.runPython(`
import importlib, json, jwt
try:
    jwt.PyJWKClient("https://example.com/jwks")
    client = "made"
except jwt.PyJWKClientError as error:
    client = str(error)
def missing(name):
    try:
        importlib.import_module(name)
    except ModuleNotFoundError:
        return True
    return False
json.dumps([client, [missing(name) for name in ${names}]])
`)""",
        json.dumps(list(NETWORK_MODULES)),
    )
    client, missing = json.loads(found)

    assert "not available in the offline page" in client
    assert missing == [True] * len(NETWORK_MODULES)


@pytest.mark.browser
def test_random_and_secrets_are_live_in_the_page(
    offline_page_with_python: Page,
) -> None:
    """Two reads of os.urandom and of random differ: nothing is frozen at build."""
    found = offline_page_with_python.evaluate(
        """() => globalThis.testPyodide.runPython(`
import os, random, secrets
[os.urandom(16) != os.urandom(16), random.random() != random.random(),
 secrets.token_hex(8) != secrets.token_hex(8)]
`).toJs()"""
    )

    assert found == [True, True, True]


FIRST_DRAWS = """() => globalThis.testPyodide.runPython(`
import random, secrets
[random.random(), random.getrandbits(64), secrets.token_hex(8)]
`).toJs()"""


@pytest.mark.browser
def test_random_differs_between_two_opens_of_the_page(
    open_offline_page: Callable[..., Page],
) -> None:
    """The snapshot froze random's state at build time; boot.js reseeds it.

    Without the reseed, every open of the page would draw the same numbers.
    """
    first = open_offline_page(init_script=PYODIDE_SPY).evaluate(FIRST_DRAWS)
    second = open_offline_page(init_script=PYODIDE_SPY).evaluate(FIRST_DRAWS)

    assert [a != b for a, b in zip(first, second, strict=True)] == [True] * 3


@pytest.mark.browser
def test_what_the_page_uses_comes_from_the_snapshot_not_the_archive(
    offline_page_with_python: Page,
) -> None:
    """localjwt and its libraries are in memory at ready; the archive lacks them.

    So the page imports nothing at start-up, and a module the trace missed
    cannot hide in the archive either: it is in neither.
    """
    found = offline_page_with_python.evaluate(
        """() => globalThis.testPyodide.runPython(`
import json, sys
archive = open(next(p for p in sys.path if p.endswith('.zip')), 'rb').read()
names = ['localjwt/web.pyc', 'jwt/api_jws.pyc', 'rsa/core.pyc', 'localjwt/py.typed',
         'pyodide/http/__init__.pyc']
json.dumps([
    [name in sys.modules for name in ('localjwt.web', 'jwt.api_jws', 'rsa.core')],
    [name.encode() in archive for name in names],
])
`)"""
    )
    in_memory, in_archive = json.loads(found)

    assert in_memory == [True, True, True]
    assert in_archive == [False, False, False, True, True]


@pytest.mark.browser
def test_the_page_lets_go_of_the_snapshot_once_restored(
    offline_page_with_python: Page,
) -> None:
    """Pyodide keeps its options; boot.js drops the snapshot's bytes from them."""
    kept = offline_page_with_python.evaluate(
        """() => {
          const config = globalThis.testPyodide._api.config;
          return [config._loadSnapshot, config.localjwtRestoreMemory];
        }"""
    )

    assert kept == [None, None]
