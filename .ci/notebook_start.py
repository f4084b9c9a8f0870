"""How long a chapter notebook takes to start and to run on the evcxr kernel: a benchmark that
prints figures (for the README), not a timed test.

Scenarios, each with a fresh kernel:
  cold    an empty EVCXR_TMPDIR and an empty evcxr cache (a first run on a new machine);
  cached  an empty EVCXR_TMPDIR, the evcxr cache of the cold run (a new kernel without a kept
          EVCXR_TMPDIR, once the notebook's `:cache` has filled the cache);
  warm    the cold run's EVCXR_TMPDIR again (a kept EVCXR_TMPDIR, as README and CI set it).
For each: the kernel's start, the `:dep` cell, the parameters cell, "start" (the three: when
the reader's first own cell can run) and the whole notebook; the load average beside, as the
machine may be shared, and the CPU time of the kernel and all it ran (cargo, rustc, the linker),
which depends much less on the load. The evcxr cache is isolated through XDG_CACHE_HOME, so
the reader's own cache is neither used nor touched. With IOR_NOTEBOOK_LOCK=path/Cargo.lock the
kernel's build starts from that lock file, as in CI.

usage: python notebook_start.py NOTEBOOK [SCENARIO ...]   (default: cold warm warm cached)
  (with the venv and JUPYTER_PATH of .ci/notebooks.sh)
"""
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

path = Path(sys.argv[1]).resolve()
scenarios = sys.argv[2:] or ["cold", "warm", "warm", "cached"]
# No dot anywhere in EVCXR_TMPDIR's path: evcxr then fails to load what it compiled.
base = Path(tempfile.mkdtemp(prefix="ior_nb_bench_", dir="/tmp"))
shared_tmp, shared_cache = base / "evcxr_tmp", base / "cache"


def folders(scenario):
    """(EVCXR_TMPDIR, XDG_CACHE_HOME) for a scenario. The first cold run fills the shared
    folders that the warm and cached runs reuse; a later cold run gets fresh ones."""
    fresh = base / f"fresh_{time.time_ns()}"
    if scenario == "cold":
        return (fresh / "evcxr_tmp", fresh / "cache") if shared_tmp.exists() else (
            shared_tmp, shared_cache)
    if scenario == "cached":
        return fresh / "evcxr_tmp", shared_cache
    return shared_tmp, shared_cache


def run(scenario):
    tmp, cache = folders(scenario)
    tmp.mkdir(parents=True, exist_ok=True)
    cache.mkdir(parents=True, exist_ok=True)
    os.environ["EVCXR_TMPDIR"] = str(tmp)
    os.environ["XDG_CACHE_HOME"] = str(cache)
    # CI starts the kernel's build from the repository's Cargo.lock (.ci/notebooks.sh).
    lock = os.environ.get("IOR_NOTEBOOK_LOCK")
    if lock and not (tmp / "Cargo.lock").exists():
        (tmp / "Cargo.lock").write_bytes(Path(lock).read_bytes())
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    client = NotebookClient(nb, kernel_name="rust", timeout=1800, allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    load = os.getloadavg()[0]
    code_times, errors = [], []
    cpu = os.times()
    start = time.time()
    with client.setup_kernel():
        kernel = time.time() - start
        for index, cell in enumerate(nb.cells):
            t = time.time()
            client.execute_cell(cell, index)
            if cell.cell_type == "code":
                code_times.append(time.time() - t)
                errors += [o for o in cell.outputs if o.output_type == "error"]
        total = time.time() - start
    # The kernel and everything it ran (cargo, rustc, the linker), once the kernel has exited:
    # CPU time depends much less than wall time on what else runs on a shared machine.
    after = os.times()
    cpu_s = (after.children_user - cpu.children_user) + (after.children_system - cpu.children_system)
    started = kernel + sum(code_times[:2])
    print(f"{scenario:7} kernel {kernel:5.1f} s  :dep {code_times[0]:6.1f} s  parameters "
          f"{code_times[1]:5.1f} s  start {started:6.1f} s  notebook {total:6.1f} s  "
          f"cpu {cpu_s:6.1f} s  ({len(code_times)} code cells; load {load:.1f})"
          f"{'  ERRORS' if errors else ''}",
          flush=True)


print(f"{path.name}, {os.cpu_count()} cores")
for s in scenarios:
    run(s)
sys.stdout.flush()
shutil.rmtree(base, ignore_errors=True)
os._exit(0)
