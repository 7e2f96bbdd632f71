// Boot Pyodide from the bytes embedded in this page, with no network at all,
// and give the page's UI one small door into localjwt's Python bridge:
//
//   window.localjwt.ready           Promise; resolves when Python can answer,
//                                   rejects (with a readable message) if not
//   window.localjwt.call(op, args)  Promise of the response object from
//                                   localjwt.web.handle: {ok: true, result}
//                                   or {ok: false, error: {field, message}};
//                                   it never rejects
//   window.localjwt.version         the version, e.g. "0.1.0"
//   window.localjwt.buildId         sha256 of everything embedded in the page
//
// Progress shows three ways: <html data-state="loading|ready|error">, a
// "localjwt:progress" CustomEvent on document with detail {stage, label}, and
// the label written into #boot-status. The boot starts on DOMContentLoaded,
// so a script after this one can listen from the first event on.
//
// Nothing here ever logs a request or a response: they carry key material.

"use strict";

(() => {
  // Start-up takes 2-5 s on a slow machine. Without 'wasm-unsafe-eval' in the
  // policy loadPyodide hangs instead of failing (shared/PYODIDE-NOTES.md), so
  // a boot that takes this long is reported as failed.
  const BOOT_TIMEOUT_MS = 60_000;

  const manifest = JSON.parse(
    document.getElementById("localjwt-manifest").textContent,
  );
  const root = document.documentElement;
  root.dataset.state = "loading";

  function report(stage, label) {
    const status = document.getElementById("boot-status");
    if (status !== null) {
      status.textContent = label;
    }
    document.dispatchEvent(
      new CustomEvent("localjwt:progress", { detail: { stage, label } }),
    );
  }

  // A payload is gzip, then base64, in a <script> of a non-JS type. The text
  // is dropped once decoded so the page does not hold every byte twice.
  function inflate(name) {
    const element = document.getElementById(`localjwt-payload:${name}`);
    if (element === null) {
      throw new Error(`the page has no embedded ${name}`);
    }
    const bytes = Uint8Array.fromBase64(element.textContent);
    element.remove();
    return new Blob([bytes])
      .stream()
      .pipeThrough(new DecompressionStream("gzip"));
  }

  async function inflateBytes(name) {
    return new Uint8Array(await new Response(inflate(name)).arrayBuffer());
  }

  // Pyodide fetches its wasm and its stdlib from indexURL and offers no
  // option to hand it bytes (314.0.8, src/js/emscripten-settings.ts), so
  // fetch answers those URLs from the page while loadPyodide runs, refuses
  // everything else, and is put back afterwards. Keeping the page offline is
  // the policy's job, not this wrapper's.
  function answerFromPage(responses) {
    const pageFetch = globalThis.fetch;
    globalThis.fetch = async (resource) => {
      const url = resource instanceof Request ? resource.url : String(resource);
      const respond = responses.get(url);
      if (respond === undefined) {
        throw new TypeError(`${url} is not part of this page`);
      }
      responses.delete(url);
      return respond();
    };
    return () => {
      globalThis.fetch = pageFetch;
    };
  }

  async function startPython() {
    if (
      typeof Uint8Array.fromBase64 !== "function" ||
      typeof DecompressionStream !== "function"
    ) {
      throw new Error(
        "this browser lacks Uint8Array.fromBase64 or DecompressionStream; " +
          "use a current Chrome, Edge, Firefox or Safari",
      );
    }

    report("unpack", "Unpacking the Python runtime…");
    const indexURL = manifest.index_url;
    // One archive holds the stdlib the page uses, PyJWT, rsa, pyasn1 and
    // localjwt, all precompiled (tools/python_zip.py); it inflates while the
    // wasm compiles.
    const stdlib = inflateBytes("python_stdlib.zip");
    const wasm = inflate("pyodide.asm.wasm");
    const restoreFetch = answerFromPage(
      new Map([
        [
          `${indexURL}pyodide.asm.wasm`,
          // instantiateStreaming insists on this content type.
          () =>
            new Response(wasm, {
              headers: { "Content-Type": "application/wasm" },
            }),
        ],
        [
          `${indexURL}python_stdlib.zip`,
          async () => new Response(await stdlib),
        ],
      ]),
    );

    report("start", "Starting Python…");
    const createPyodideModule = globalThis.localjwtCreatePyodideModule;
    delete globalThis.localjwtCreatePyodideModule;
    let pyodide;
    try {
      pyodide = await globalThis.loadPyodide({
        indexURL,
        packageBaseUrl: indexURL,
        // The shipped lock's info with no packages: Pyodide has nothing to
        // fetch beyond the two files answered above.
        lockFileContents: manifest.lock,
        createPyodideModule,
        stdLibURL: `${indexURL}python_stdlib.zip`,
      });
    } finally {
      restoreFetch();
    }

    // The libraries are already on sys.path, in the stdlib's archive: no
    // micropip (~1 s per start, shared/PYODIDE-NOTES.md), no unpacking.
    report("install", "Loading the signing libraries…");
    pyodide.pyimport("rsa");
    pyodide.pyimport("jwt.api_jws");

    // localjwt.web imports every module a request can reach (keys, tokens,
    // anyjwt, inspect, export), so the first paste pays no import.
    report("import", "Loading localjwt…");
    return pyodide.pyimport("localjwt.web").handle;
  }

  async function startWithin(milliseconds) {
    let timer;
    const expired = new Promise((_, reject) => {
      timer = setTimeout(() => {
        const seconds = milliseconds / 1000;
        reject(new Error(`Python did not start within ${seconds} seconds`));
      }, milliseconds);
    });
    try {
      return await Promise.race([startPython(), expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  // A Python traceback ends with the line that says what went wrong.
  function lastLine(message) {
    const lines = String(message).trim().split("\n");
    return lines[lines.length - 1];
  }

  function failure(message) {
    return { ok: false, error: { field: null, message } };
  }

  let handle = null;

  const ready = new Promise((resolve, reject) => {
    function boot() {
      startWithin(BOOT_TIMEOUT_MS).then(
        (handler) => {
          handle = handler;
          // bench/startup.py reads this mark: navigation to ready.
          performance.mark("localjwt:ready");
          root.dataset.state = "ready";
          report("ready", "Ready.");
          resolve();
        },
        (error) => {
          const message = `localjwt could not start: ${lastLine(error.message)}`;
          root.dataset.state = "error";
          report("error", `${message}. Reload the page to try again.`);
          console.error(error);
          reject(new Error(message));
        },
      );
    }
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", boot, { once: true });
    } else {
      boot();
    }
  });
  // The UI may never await ready; its failure is already on the page.
  ready.catch(() => {});

  // The ops whose RS signatures the browser may make (web/webcrypto.js).
  const PAGE_SIGNED = new Set(["sign", "sign_jwt"]);
  const webCrypto = window.localjwtWebCrypto;

  function handleJSON(request) {
    try {
      return JSON.parse(handle(JSON.stringify(request)));
    } catch (error) {
      // The message of a Python exception may quote the request, so only its
      // type reaches the console.
      const kind = error.type ?? error.name;
      console.error(`localjwt.web.handle raised ${kind}`);
      return failure(
        `localjwt failed unexpectedly (${kind}). Reload the page and try again.`,
      );
    }
  }

  async function call(op, args = {}) {
    try {
      await ready;
    } catch (error) {
      return failure(error.message);
    }
    // page_signs: false asks Python to sign alone (the benchmark compares).
    const pageSigns = args.page_signs !== false && PAGE_SIGNED.has(op);
    if (webCrypto === undefined || !pageSigns) {
      if (op === "clear_key") {
        webCrypto?.forget();
      }
      return handleJSON({ ...args, op });
    }
    // Python lays out the tokens and names what to sign; the browser signs;
    // Python checks every signature and finishes. Same bytes either way.
    const first = handleJSON({
      ...args,
      op,
      page_signs: true,
      page_keys: webCrypto.known(),
    });
    const pending = first.ok ? first.result.to_sign : undefined;
    if (pending === undefined) {
      return first;
    }
    const again = { ...args, op, now: pending.now };
    try {
      const signatures = await webCrypto.sign(pending);
      return handleJSON({ ...again, page_signs: true, signatures });
    } catch {
      // WebCrypto refused (a key size it does not take): Python signs alone.
      return handleJSON(again);
    }
  }

  window.localjwt = Object.freeze({
    ready,
    call,
    version: manifest.version,
    buildId: manifest.build_id,
  });
})();
