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
  // Start-up takes under a second here and a few on a slow machine. Without
  // 'wasm-unsafe-eval' in the policy loadPyodide hangs instead of failing
  // (shared/PYODIDE-NOTES.md), so a boot that takes this long has failed.
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

  // Pyodide fetches its wasm and its stdlib from indexURL and offers no
  // option to hand it bytes (314.0.8, src/js/emscripten-settings.ts), so
  // fetch answers those URLs from the page while loadPyodide runs, refuses
  // everything else, and is put back afterwards. Keeping the page offline is
  // the policy's job, not this wrapper's.
  //
  // Pyodide then compiles the wasm only once the snapshot is in hand; the
  // page compiles it earlier, while the snapshot inflates, and hands Pyodide
  // that module when it asks to instantiate the wasm.
  function answerFromPage(responses, compiled) {
    const pageFetch = globalThis.fetch;
    const pageInstantiate = WebAssembly.instantiateStreaming;
    globalThis.fetch = async (resource) => {
      const url = resource instanceof Request ? resource.url : String(resource);
      const respond = responses.get(url);
      if (respond === undefined) {
        throw new TypeError(`${url} is not part of this page`);
      }
      responses.delete(url);
      return respond();
    };
    WebAssembly.instantiateStreaming = async (_response, imports) => {
      const module = await compiled;
      return {
        module,
        instance: await WebAssembly.instantiate(module, imports),
      };
    };
    return () => {
      globalThis.fetch = pageFetch;
      WebAssembly.instantiateStreaming = pageInstantiate;
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
    const { inflate, runScript, snapshotHeader, restoreMemory } =
      window.localjwtUnpack;
    const unpacked = (name) => inflate(name, manifest.sizes[name]);
    const indexURL = manifest.index_url;
    // In this order so that work overlaps: the runtime script parses and the
    // wasm compiles off the main thread while the snapshot inflates on it.
    const runtime = runScript(
      await unpacked("pyodide.asm.js"),
      manifest.runtime_integrity,
    );
    const wasm = await unpacked("pyodide.asm.wasm");
    const compiled = WebAssembly.compile(wasm);
    // Both are awaited further on; should a step before fail, that failure is
    // the one to report, not these left unhandled.
    runtime.catch(() => {});
    compiled.catch(() => {});
    // Python's memory as the build left it: started, with every module the
    // page uses imported (tools/snapshot.py).
    const stored = await unpacked("snapshot");
    const header = snapshotHeader(stored, manifest.snapshot);
    // What the snapshot did not import: modules no op of the page needs.
    const stdlib = await unpacked("python_stdlib.zip");
    await runtime;

    // Pyodide instantiates the module compiled above and never reads this
    // body; a stream hands over the bytes only if read, where a Response of
    // the array itself would copy 9.6 MB (~9 ms) for nothing. Pyodide keeps
    // the Response, so the stream is cancelled once Python has started.
    const wasmBody = new ReadableStream({
      pull(controller) {
        controller.enqueue(wasm);
        controller.close();
      },
    });
    const restoreFetch = answerFromPage(
      new Map([
        [
          `${indexURL}pyodide.asm.wasm`,
          () =>
            new Response(wasmBody, {
              // instantiateStreaming insists on this content type.
              headers: { "Content-Type": "application/wasm" },
            }),
        ],
        [`${indexURL}python_stdlib.zip`, () => new Response(stdlib)],
      ]),
      compiled,
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
        _loadSnapshot: header,
        localjwtRestoreMemory: (memory) =>
          restoreMemory(memory, stored, manifest.snapshot, wasm),
      });
    } finally {
      restoreFetch();
    }
    // Pyodide keeps the options it was given, and with them the snapshot,
    // which is of no use once restored.
    pyodide._api.config._loadSnapshot = undefined;
    pyodide._api.config.localjwtRestoreMemory = undefined;
    wasmBody.cancel().catch(() => {});

    // The build fixed every source of entropy while it took the snapshot, so
    // random's generator comes back in the same state in every page: reseed
    // it from the browser's (os.urandom and secrets never kept any state).
    report("import", "Loading localjwt…");
    pyodide.pyimport("random").seed();
    // Already imported in the snapshot, with everything a request can reach.
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
