"""Runs the project's Java notebooks headless on the rapaio Jupyter kernel, as the tests and CI do.

    /usr/bin/python3 run_notebooks.py [--timeout SECONDS] [--update] [NOTEBOOK.ipynb ...]
    /usr/bin/python3 run_notebooks.py --starts N

Run from the notebooks module after Maven has built it (target/classes: the kernel's start-up fix; target/kernel:
the kernel jar; target/lib: the project's jars). The kernelspec is written into target/jupyter, which only this
runner's Jupyter sees: nothing is installed system-wide. Each notebook runs in a fresh kernel, in its own working
directory under target/run, with a per-cell timeout; it fails on any cell error (compile errors included) and on
an unresolved dependency reported on stderr. Executed copies go to target/executed; --update also writes them
over the committed notebooks. The last line reads 'N passed, N failed'. --starts N starts the kernel N times and
counts the starts that do not answer (--unpatched: without the project's fix of the kernel's start-up race).
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = os.path.join(HERE, "target")
KERNEL = "cnnzoo-java"
STDERR_FAILURES = ("Could not resolve dependencies",)
START_TIMEOUT = 60


def kernelspec(patched=True):
    """Writes target/jupyter/kernels/cnnzoo-java/kernel.json and points Jupyter at it."""
    jars = glob.glob(os.path.join(TARGET, "kernel", "rapaio-jupyter-kernel-*.jar"))
    if not jars or not os.path.isdir(os.path.join(TARGET, "lib")):
        sys.exit("build the module first (./mvnw -pl notebooks -am test-compile): target/kernel and target/lib are missing")
    spec_dir = os.path.join(TARGET, "jupyter", "kernels", KERNEL)
    os.makedirs(spec_dir, exist_ok=True)
    spec = {
        "argv": ["java", "-Xmx3g",
                 "-cp", (os.path.join(TARGET, "classes") + os.pathsep if patched else "") + jars[0],
                 "org.rapaio.jupyter.kernel.MainApp", "{connection_file}"],
        "display_name": "Java (cnnzoo)",
        "language": "java",
        "interrupt_mode": "message",
        "env": {
            "RJK_CLASSPATH": os.path.join(TARGET, "lib", "*.jar"),
            "RJK_TIMEOUT_MILLIS": "-1",
            "OMP_WAIT_POLICY": "PASSIVE",
        },
    }
    with open(os.path.join(spec_dir, "kernel.json"), "w") as f:
        json.dump(spec, f, indent=1)
    os.environ["JUPYTER_PATH"] = os.path.join(TARGET, "jupyter")
    os.environ["JUPYTER_RUNTIME_DIR"] = os.path.join(TARGET, "jupyter", "runtime")


def error_of(nb):
    """The first error in the executed cells: its name and message, for compile errors the compiler's own lines."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                if out.get("evalue"):
                    return "%s: %s" % (out["ename"], out["evalue"])
                lines = [re.sub(r"\x1b\[[0-9;]*m", "", line).strip() for line in out.get("traceback", [])]
                return "%s: %s" % (out["ename"], " ".join(line for line in lines if line))
    return "a cell failed"


def stderr_problem(nb):
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                for marker in STDERR_FAILURES:
                    if marker in out.get("text", ""):
                        return out["text"].strip().splitlines()[0]
    return None


def run(path, timeout, update):
    name = os.path.splitext(os.path.basename(path))[0]
    workdir = os.path.join(TARGET, "run", name)
    shutil.rmtree(workdir, ignore_errors=True)
    os.makedirs(workdir)
    executed = os.path.join(TARGET, "executed", os.path.basename(path))
    os.makedirs(os.path.dirname(executed), exist_ok=True)
    started = time.time()
    problem = None
    for attempt in range(3):
        nb = nbformat.read(path, as_version=4)
        km = KernelManager(kernel_name=KERNEL)
        client = NotebookClient(nb, km=km, timeout=timeout, kernel_name=KERNEL, startup_timeout=START_TIMEOUT,
                                resources={"metadata": {"path": workdir}})
        try:
            # the kernel's own log (class path, messages) goes to a file beside the notebook's working files
            with open(os.path.join(workdir, "kernel.log"), "a") as log:
                km.start_kernel(cwd=workdir, stdout=log, stderr=log)
            client.execute()
            problem = stderr_problem(nb)
        except CellExecutionError:
            problem = error_of(nb)
        except CellTimeoutError:
            problem = "a cell ran longer than %d s" % timeout
        except (RuntimeError, DeadKernelError) as e:
            # the kernel did not start or died: a fresh one is tried, twice at most
            problem = "kernel: %s" % e
            if attempt < 2 and not nb.cells[0].get("outputs"):
                continue
        finally:
            # a kernel manager handed to nbclient is the caller's to stop
            if km.has_kernel:
                km.shutdown_kernel(now=True)
        break
    nbformat.write(nb, executed)
    if update and problem is None:
        nbformat.write(nb, path)
    seconds = time.time() - started
    if problem is None:
        print("PASS %s (%.0f s)" % (name, seconds), flush=True)
    else:
        print("FAIL %s (%.0f s): %s" % (name, seconds, problem), flush=True)
    return problem is None


def starts(count):
    failed = 0
    for i in range(count):
        km = KernelManager(kernel_name=KERNEL)
        try:
            km.start_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            client = km.client()
            client.start_channels()
            client.wait_for_ready(timeout=START_TIMEOUT)
            client.stop_channels()
        except RuntimeError as e:
            failed += 1
            print("start %d failed: %s" % (i + 1, e), flush=True)
        finally:
            km.shutdown_kernel(now=True)
    print("%d starts, %d failed" % (count, failed))
    return failed == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell (default 600)")
    parser.add_argument("--update", action="store_true", help="write the executed notebooks over the committed ones")
    parser.add_argument("--starts", type=int, help="only start the kernel this many times")
    parser.add_argument("--unpatched", action="store_true",
                        help="with --starts: the kernel as published, without the start-up fix (for comparison)")
    args = parser.parse_args()
    kernelspec(patched=not args.unpatched)
    if args.starts:
        sys.exit(0 if starts(args.starts) else 1)
    paths = args.notebooks or sorted(glob.glob(os.path.join(HERE, "*.ipynb")))
    results = [run(p, args.timeout, args.update) for p in paths]
    passed = sum(results)
    print("%d passed, %d failed" % (passed, len(results) - passed))
    sys.exit(0 if passed == len(results) else 1)


if __name__ == "__main__":
    main()
