// Take the page's memory snapshot: Pyodide started, every module the page
// uses imported, Python's memory saved as it stands. At build time, in Node.
//
//   node tools/pyodide_snapshot.cjs RUNTIME_DIR MODULES_JSON OUTPUT
//
// RUNTIME_DIR holds the pinned npm package's files with the page's own Python
// archive as python_stdlib.zip: a snapshot only works with the exact stdlib
// bytes it was taken with (shared/PYODIDE-NOTES.md). MODULES_JSON lists the
// modules to import, in order (tools/in_pyodide/trace_imports.py found them).
// OUTPUT receives what pyodide.makeMemorySnapshot() returns.
//
// Two builds must give the same bytes, so everything that would differ from
// one run to the next is fixed while the snapshot is made:
// - entropy: Python seeds `random` and its hash secret from it at start-up;
//   the page reseeds `random` from the browser's entropy after restoring
//   (web/boot.js), and PYTHONHASHSEED=0 fixes hash() as it did before;
// - the clocks, which file times and a few modules read;
// - the program's name, which Emscripten takes from the command line in Node.
// Memory that Python has freed still holds old bytes; they are zeroed before
// the snapshot is taken, so they compress to nothing.

"use strict";

const fs = require("node:fs");
const path = require("node:path");
const nodeCrypto = require("node:crypto");

// Not random at all, on purpose: see above. A 32-bit linear congruential
// generator (Numerical Recipes' constants) gives bytes that are not all equal.
let state = 0x6c6a7774;
nodeCrypto.randomFillSync = (view) => {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  for (let index = 0; index < bytes.length; index += 1) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    bytes[index] = state >>> 24;
  }
  return view;
};
// 2026-01-01T00:00:00Z, and no time passing.
Date.now = () => 1_767_225_600_000;
performance.now = () => 0;

// Pyodide frees what start-up no longer needs; this claims every free block of
// the C heap below the current break, zeroes it and frees it again. Large
// blocks first, then ever smaller ones for the gaps.
function zeroFreeMemory(module) {
  const heapEnd = module.HEAPU32[module._emscripten_get_sbrk_ptr() >>> 2];
  const claimed = [];
  for (let size = 1 << 20; size >= 16; size >>>= 2) {
    for (;;) {
      const block = module._malloc(size);
      if (block === 0 || block + size > heapEnd) {
        module._free(block);
        break;
      }
      module.HEAPU8.fill(0, block, block + size);
      claimed.push(block);
    }
  }
  claimed.forEach((block) => module._free(block));
}

const PREPARE = `
import gc
import importlib
import sys
import zipimport

for name in MODULES:
    importlib.import_module(name)
# The page's archive holds only what is not imported here, so nothing may
# remember where modules sat in this one: the next import reads the page's.
sys.path_importer_cache.clear()
zipimport._zip_directory_cache.clear()
gc.collect()
`;

async function main() {
  const [runtimeDir, modulesJson, output] = process.argv.slice(2);
  if (output === undefined) {
    throw new Error(
      "usage: pyodide_snapshot.cjs RUNTIME_DIR MODULES_JSON OUTPUT",
    );
  }
  const runtime = path.resolve(runtimeDir);
  const { loadPyodide } = require(path.join(runtime, "pyodide.js"));
  const lock = JSON.parse(
    fs.readFileSync(path.join(runtime, "pyodide-lock.json")),
  );
  const pyodide = await loadPyodide({
    indexURL: runtime + path.sep,
    env: { PYTHONHASHSEED: "0", HOME: "/home/pyodide" },
    // As the page passes it: the shipped lock's info, no packages.
    lockFileContents: { info: lock.info, packages: {} },
    // What Emscripten calls the program in a browser. In Node it would take
    // this script's path, which would then sit in the snapshot (sys.argv,
    // sys.executable) and make builds in different folders differ.
    _sysExecutable: "./this.program",
    _makeSnapshot: true,
  });
  const modules = JSON.parse(fs.readFileSync(modulesJson, "utf8"));
  // Its own namespace, freed below, so that no name of this script stays.
  const namespace = pyodide.toPy({ MODULES: modules });
  pyodide.runPython(PREPARE, { globals: namespace });
  namespace.destroy();
  pyodide.runPython("import gc; gc.collect()");
  zeroFreeMemory(pyodide._module);
  fs.writeFileSync(output, pyodide.makeMemorySnapshot());
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  },
);
