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

  // A payload is raw DEFLATE, then base64, in a <script> of a non-JS type.
  // The text is dropped once decoded so the page does not hold every byte
  // twice. The whole payload goes into the DecompressionStream in one write,
  // and its output straight into a buffer of the size the manifest gives:
  // a Blob's stream fed chunk by chunk took half as long again, and
  // Response.arrayBuffer() another 40% (10 MB: 57 ms against 81 ms here).
  async function inflate(name) {
    const element = document.getElementById(`localjwt-payload:${name}`);
    if (element === null) {
      throw new Error(`the page has no embedded ${name}`);
    }
    const packed = Uint8Array.fromBase64(element.textContent);
    element.remove();
    const stream = new DecompressionStream("deflate-raw");
    const writer = stream.writable.getWriter();
    // A damaged payload fails the read below; these would only repeat it.
    writer.write(packed).catch(() => {});
    writer.close().catch(() => {});
    const bytes = new Uint8Array(manifest.sizes[name]);
    const reader = stream.readable.getReader();
    let filled = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        break;
      }
      if (filled + value.length > bytes.length) {
        throw new Error(`the embedded ${name} is longer than the page says`);
      }
      bytes.set(value, filled);
      filled += value.length;
    }
    if (filled !== bytes.length) {
      throw new Error(`the embedded ${name} is shorter than the page says`);
    }
    return bytes;
  }

  // Pyodide's runtime script (pyodide.asm.mjs made classic by the build) runs
  // from a blob: URL. The policy lists its hash and the element carries it as
  // integrity, which is what lets it run (CSP 3, section 6.7.2.3): the policy
  // allows no URL scheme at all.
  async function runScript(bytes, integrity) {
    const url = URL.createObjectURL(
      new Blob([bytes], { type: "text/javascript" }),
    );
    const script = document.createElement("script");
    script.src = url;
    script.integrity = integrity;
    try {
      await new Promise((resolve, reject) => {
        script.onload = resolve;
        script.onerror = () =>
          reject(new Error("the embedded Pyodide runtime did not load"));
        document.head.append(script);
      });
    } finally {
      URL.revokeObjectURL(url);
      script.remove();
    }
  }

  // Copies the wasm's data segments into memory at their offsets, as
  // instantiating the wasm does. Pyodide 314.0.8's are all active, at
  // i32.const offsets, in memory 0 (wasm core spec 5.5.14); the build checks.
  function layOutStaticData(memory, wasm) {
    let at = 8; // magic and version
    // An unsigned LEB128 number at wasm[at] (wasm core spec 5.2.2).
    const number = () => {
      let value = 0;
      let scale = 1;
      let byte;
      do {
        byte = wasm[at];
        at += 1;
        value += (byte & 0x7f) * scale;
        scale *= 128;
      } while (byte & 0x80);
      return value;
    };
    while (at < wasm.length) {
      const section = wasm[at];
      at += 1;
      const size = number();
      if (section !== 11) {
        at += size;
        continue;
      }
      for (let count = number(); count > 0; count -= 1) {
        number(); // mode 0: active, memory 0
        at += 1; // i32.const
        // Signed LEB128 in the spec; read as unsigned, as an offset into
        // memory is never negative.
        const offset = number();
        at += 1; // end
        const length = number();
        memory.set(wasm.subarray(at, at + length), offset);
        at += length;
      }
      return;
    }
    throw new Error("the embedded wasm has no data section");
  }

  // The snapshot is stored as the pages of it that differ from the static
  // data over zeros (tools/snapshot.py). Pyodide reads its header (which
  // names the build and the JavaScript objects Python holds), then has
  // restoreMemory write the memory itself: straight into wasm memory, rather
  // than a 30 MiB copy assembled here and copied again.
  function snapshotHeader(stored, layout) {
    const header = new Uint8Array(layout.heap_offset);
    let position = 0;
    for (const [offset, length] of layout.extents) {
      if (offset < header.length) {
        const end = Math.min(length, header.length - offset);
        header.set(stored.subarray(position, position + end), offset);
      }
      position += length;
    }
    return header;
  }

  // Makes memory exactly the snapshot's: zeros, the static data, and the
  // stored pages over them. Every byte is written: start-up code has already
  // run in this memory before Pyodide restores it.
  function restoreMemory(memory, stored, layout, wasm) {
    const base = layout.heap_offset;
    const end = layout.length - base;
    // Pyodide grows memory only once Python runs; a bigger snapshot would
    // need growing first (Pyodide issue 6254), so it would stop here.
    if (memory.length < end) {
      throw new Error("the snapshot does not fit this page's wasm memory");
    }
    let cursor = 0;
    for (const [offset, length] of layout.extents) {
      const start = Math.max(offset - base, 0);
      memory.fill(0, cursor, start);
      cursor = Math.max(cursor, offset + length - base);
    }
    memory.fill(0, cursor, end);
    layOutStaticData(memory, wasm);
    let position = 0;
    for (const [offset, length] of layout.extents) {
      const skip = Math.max(base - offset, 0);
      if (skip < length) {
        memory.set(
          stored.subarray(position + skip, position + length),
          offset + skip - base,
        );
      }
      position += length;
    }
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
      return { module, instance: await WebAssembly.instantiate(module, imports) };
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
    const indexURL = manifest.index_url;
    // In this order so that work overlaps: the runtime script parses and the
    // wasm compiles off the main thread while the snapshot inflates on it.
    const runtime = runScript(
      await inflate("pyodide.asm.js"),
      manifest.runtime_integrity,
    );
    const wasm = await inflate("pyodide.asm.wasm");
    const compiled = WebAssembly.compile(wasm);
    // Both are awaited further on; should a step before fail, that failure is
    // the one to report, not these left unhandled.
    runtime.catch(() => {});
    compiled.catch(() => {});
    // Python's memory as the build left it: started, with every module the
    // page uses imported (tools/snapshot.py).
    const stored = await inflate("snapshot");
    const header = snapshotHeader(stored, manifest.snapshot);
    // What the snapshot did not import: modules no op of the page needs.
    const stdlib = await inflate("python_stdlib.zip");
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
