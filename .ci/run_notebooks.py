"""Execute every chapter notebook with the evcxr Rust kernel and check that it reproduces the
outputs the book's build stored in it.

The build writes each notebook with its outputs (src/render/notebook.rs), computed by the same
library calls the cells make. Here each notebook runs as a reader would run it in Jupyter
(nbclient, kernel "rust"), and every code cell's fresh outputs are compared with the stored
ones, cell by cell and MIME type by MIME type, as nbval does: consecutive stream outputs are
merged, execute_result and display_data count as the same kind, execution counts are ignored.
A notebook fails on any difference (reported with the cell number and a short diff), on an
error output, and on a panic (evcxr reports a panic in a cell on stderr, not as an error).

Prints each notebook's time and ends with "N passed, N failed". The executed notebooks are
written to CHAPTERS_DIR/../executed-notebooks/ for inspection.

usage: python run_notebooks.py CHAPTERS_DIR [NOTEBOOK_NAME ...]
"""
import copy
import difflib
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

chapters = Path(sys.argv[1]).resolve()
# Notebooks to run, by name with or without ".ipynb" ("prelude" or "prelude.ipynb"); all if none.
wanted = {name.removesuffix(".ipynb") for name in sys.argv[2:]}
available = sorted(chapters.glob("*.ipynb"))
unknown = wanted - {p.stem for p in available}
if unknown:
    names = ", ".join(p.stem for p in available) or "none"
    print(f"no notebook named {', '.join(sorted(unknown))} in {chapters} (there are: {names})", file=sys.stderr)
    sys.exit(2)
notebooks = [p for p in available if not wanted or p.stem in wanted]
if not notebooks:
    print(f"no notebooks in {chapters}", file=sys.stderr)
    sys.exit(2)


def text(value):
    return "".join(value) if isinstance(value, list) else str(value)


def normalise(outputs):
    """A cell's outputs as (kind, {key: text}) pairs, in order."""
    out = []
    for o in outputs:
        kind = o.get("output_type")
        if kind == "stream":
            key = "stream:" + o.get("name", "")
            if out and out[-1][0] == key:
                out[-1][1]["text"] += text(o.get("text", ""))
            else:
                out.append((key, {"text": text(o.get("text", ""))}))
        elif kind in ("execute_result", "display_data"):
            out.append(("value", {m: text(v) for m, v in o.get("data", {}).items()}))
        elif kind == "error":
            out.append(("error", {"error": f"{o.get('ename')}: {o.get('evalue')}"}))
    return out


def short_diff(stored, fresh, limit=12):
    """The first lines where two texts differ, as a unified diff (long lines cut around the
    first differing character)."""
    if "\n" not in stored.strip() and "\n" not in fresh.strip():
        at = next((k for k, (a, b) in enumerate(zip(stored, fresh)) if a != b),
                  min(len(stored), len(fresh)))
        lo = max(0, at - 60)
        return [f"    first difference at character {at}:",
                f"    - {stored[lo:at + 60]!r}", f"    + {fresh[lo:at + 60]!r}"]
    lines = list(difflib.unified_diff(stored.splitlines(), fresh.splitlines(), "stored", "fresh",
                                      n=1, lineterm=""))
    return ["    " + (l if len(l) <= 160 else l[:157] + "...") for l in lines[:limit]] + (
        ["    ..."] if len(lines) > limit else [])


def compare(k, source, stored, fresh):
    """Problems with code cell k, as lines."""
    first = source.splitlines()[0] if source else ""
    where = f"cell {k} (`{first[:60]}`)"
    a, b = normalise(stored), normalise(fresh)
    problems = []
    for kind, data in b:
        for value in data.values():
            if "panicked at" in value:
                problems.append(f"{where} panicked: {value.strip()[:300]}")
        if kind == "error":
            problems.append(f"{where} failed: {data['error'][:300]}")
    if [kind for kind, _ in a] != [kind for kind, _ in b]:
        problems.append(f"{where}: stored outputs {[kind for kind, _ in a]}, "
                        f"the kernel gave {[kind for kind, _ in b]}")
        for kind, data in b:
            for key, value in data.items():
                problems.append(f"    {kind} {key}: {value.strip()[:200]!r}")
        return problems
    for n, ((kind, s), (_, f)) in enumerate(zip(a, b)):
        if sorted(s) != sorted(f):
            problems.append(f"{where}, output {n}: stored MIME types {sorted(s)}, "
                            f"the kernel gave {sorted(f)}")
            continue
        for key in sorted(s):
            if s[key] != f[key]:
                problems.append(f"{where}, output {n}, {key} differs:")
                problems.extend(short_diff(s[key], f[key]))
    return problems


executed_dir = chapters.parent / "executed-notebooks"
executed_dir.mkdir(exist_ok=True)
passed = failed = 0
for path in notebooks:
    stored = nbformat.read(path, as_version=4)
    nb = copy.deepcopy(stored)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    client = NotebookClient(nb, kernel_name="rust", timeout=900, allow_errors=True,
                            resources={"metadata": {"path": str(chapters)}})
    problems = []
    start = time.time()
    try:
        client.execute()
    except Exception as e:  # a dead kernel or a timeout
        problems.append(f"execution stopped: {e}")
    seconds = time.time() - start
    cells = compared = 0
    for k, (old, new) in enumerate(zip(stored.cells, nb.cells)):
        if old.cell_type != "code":
            continue
        cells += 1
        compared += len(old.get("outputs", []))
        problems.extend(compare(k, old.source, old.get("outputs", []), new.get("outputs", [])))
    status = "ok  " if not problems else "FAIL"
    print(f"{status} {path.name}: {seconds:.1f} s, {cells} code cells, {compared} stored "
          f"outputs compared", flush=True)
    for p in problems:
        print(f"     {p}")
    if problems:
        failed += 1
    else:
        passed += 1
    nbformat.write(nb, executed_dir / path.name)

print(f"{passed} passed, {failed} failed", flush=True)
sys.stderr.flush()
# os._exit skips nbclient's atexit kernel clean-up, which asserts on the kernels that
# execute() has already shut down and would print a spurious traceback.
os._exit(0 if failed == 0 else 1)
