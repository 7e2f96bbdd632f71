// Unpack what the build embedded in this page: payloads (raw DEFLATE, then
// base64, in <script> elements of a non-JS type), Pyodide's runtime script,
// and the memory snapshot that Pyodide restores instead of starting Python
// (tools/snapshot.py). web/boot.js runs the start-up with these.

"use strict";

window.localjwtUnpack = (() => {
  // A payload is raw DEFLATE, then base64, in a <script> of a non-JS type.
  // The text is dropped once decoded so the page does not hold every byte
  // twice. The whole payload goes into the DecompressionStream in one write,
  // and its output straight into a buffer of the size the build recorded:
  // a Blob's stream fed chunk by chunk took half as long again, and
  // Response.arrayBuffer() another 40% (10 MB: 57 ms against 81 ms here).
  async function inflate(name, size) {
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
    const bytes = new Uint8Array(size);
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

  return Object.freeze({ inflate, runScript, snapshotHeader, restoreMemory });
})();
