"""Execute every chapter notebook with the evcxr Rust kernel, as a reader would in Jupyter.

A notebook passes when every cell runs without an error output, no cell panicked (evcxr does
not fail a cell on a panic: we scan the output for "panicked at"), every figure cell shows an
SVG and every table cell HTML, and the findings it prints equal the book's data for the same
chapter. Prints timings and ends with "N passed, N failed".

usage: python run_notebooks.py CHAPTERS_DIR
"""
import json
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

chapters = Path(sys.argv[1]).resolve()
notebooks = sorted(chapters.glob("*.ipynb"))
if not notebooks:
    print(f"no notebooks in {chapters}", file=sys.stderr)
    sys.exit(2)

passed = failed = 0
for path in notebooks:
    problems = []
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name="rust", timeout=900, allow_errors=True,
                            resources={"metadata": {"path": str(chapters)}})
    start = time.time()
    try:
        client.execute()
    except Exception as e:  # a dead kernel or a timeout
        problems.append(f"execution stopped: {e}")
    seconds = time.time() - start
    findings = None
    shown = {"image/svg+xml": 0, "text/html": 0}
    for k, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                problems.append(f"cell {k}: {out.get('ename')}: {out.get('evalue')}")
            text = out.get("text", "")
            if isinstance(text, list):
                text = "".join(text)
            for value in out.get("data", {}).values():
                text += value if isinstance(value, str) else ""
            if "panicked at" in text:
                problems.append(f"cell {k} panicked: {text.strip()[:300]}")
            for line in text.splitlines():
                if line.startswith("FINDINGS "):
                    findings = json.loads(line[len("FINDINGS "):])
            for mime in shown:
                if mime in out.get("data", {}):
                    shown[mime] += 1
    data = json.loads((chapters / "data" / f"{path.stem}.json").read_text())
    if findings is None:
        problems.append("the notebook printed no FINDINGS line")
    elif findings != data.get("findings"):
        problems.append("the notebook's findings differ from the book's data for this chapter")
    if shown["image/svg+xml"] == 0:
        problems.append("no figure was shown")
    status = "ok  " if not problems else "FAIL"
    print(f"{status} {path.name}: {seconds:.1f} s, {shown['image/svg+xml']} figures, "
          f"{shown['text/html']} tables", flush=True)
    for p in problems:
        print(f"     {p}")
    if problems:
        failed += 1
    else:
        passed += 1
    executed = chapters.parent / "executed-notebooks"
    executed.mkdir(exist_ok=True)
    nbformat.write(nb, executed / path.name)

print(f"{passed} passed, {failed} failed", flush=True)
sys.stderr.flush()
# os._exit skips nbclient's atexit kernel clean-up, which asserts on the kernels that
# execute() has already shut down and would print a spurious traceback.
os._exit(0 if failed == 0 else 1)
