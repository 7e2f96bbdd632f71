// Run one Python script in Pyodide under Node, at build time.
//
//   node tools/pyodide_run.cjs RUNTIME_DIR WORK_DIR SCRIPT [ARGS...]
//
// RUNTIME_DIR holds the pinned npm package's pyodide.js, pyodide.asm.mjs,
// pyodide.asm.wasm, python_stdlib.zip and pyodide-lock.json. WORK_DIR is
// mounted at /work inside Python; SCRIPT (a path under WORK_DIR or any host
// path) runs as __main__ with sys.argv = [SCRIPT, ...ARGS]. The build uses it
// so that bytecode is made by the page's own Python 3.14, whose .pyc magic
// number the host's CPython does not share (shared/PYODIDE-NOTES.md).
//
// PYTHONHASHSEED=0 fixes the order of sets and dicts keyed by str, so that
// marshal writes the same bytes from one build to the next.
// PYTHONNODEBUGRANGES=1 leaves the column ranges out of the bytecode it
// compiles (line numbers stay): a tenth less memory snapshot for the page to
// carry and inflate, and nothing in the page shows a traceback's carets.

"use strict";

const fs = require("node:fs");
const path = require("node:path");

async function main() {
  const [runtimeDir, workDir, script, ...args] = process.argv.slice(2);
  if (script === undefined) {
    throw new Error(
      "usage: pyodide_run.cjs RUNTIME_DIR WORK_DIR SCRIPT [ARGS...]",
    );
  }
  const runtime = path.resolve(runtimeDir);
  const { loadPyodide } = require(path.join(runtime, "pyodide.js"));
  const pyodide = await loadPyodide({
    indexURL: runtime + path.sep,
    env: {
      PYTHONHASHSEED: "0",
      PYTHONNODEBUGRANGES: "1",
      HOME: "/home/pyodide",
    },
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
  });
  pyodide.FS.mkdirTree("/work");
  pyodide.mountNodeFS("/work", path.resolve(workDir));

  const source = fs.readFileSync(script, "utf8");
  pyodide.globals.get("__import__")("sys").argv = pyodide.toPy([
    script,
    ...args,
  ]);
  await pyodide.runPythonAsync(source, { filename: script });
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  },
);
