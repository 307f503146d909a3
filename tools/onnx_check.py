"""Validate ONNX files with the reference checker (Debian python3-onnx).

Usage: /usr/bin/python3 tools/onnx_check.py DIR_OR_FILE... [--record OUT.json]

Runs onnx.checker.check_model(full_check=True) (schema, graph and shape-inference checks) on every
.onnx file given or found under the given folders. Prints one line per file, writes a JSON record
when asked, and exits 1 if any file fails.
"""
import json
import os
import sys

import onnx


def files_of(args):
    for arg in args:
        if os.path.isdir(arg):
            for root, _, names in os.walk(arg):
                for name in sorted(names):
                    if name.endswith(".onnx"):
                        yield os.path.join(root, name)
        else:
            yield arg


def main(argv):
    record = None
    if "--record" in argv:
        i = argv.index("--record")
        record = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    results = []
    for path in files_of(argv):
        model = onnx.load(path)
        try:
            onnx.checker.check_model(model, full_check=True)
            error = None
        except Exception as e:  # the checker raises several exception types
            error = f"{type(e).__name__}: {e}"
        results.append({
            "file": os.path.basename(path),
            "ir_version": model.ir_version,
            "opsets": {o.domain or "ai.onnx": o.version for o in model.opset_import},
            "ops": sorted({n.op_type for n in model.graph.node}),
            "ok": error is None,
            "error": error,
        })
        print(("ok   " if error is None else "FAIL ") + path + ("" if error is None else f"\n     {error}"))
    if not results:
        print("no .onnx files found", file=sys.stderr)
        return 1
    if record:
        with open(record, "w") as f:
            json.dump({"generator": "tools/onnx_check.py", "onnx_version": onnx.__version__, "results": results}, f, indent=1)
            f.write("\n")
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
