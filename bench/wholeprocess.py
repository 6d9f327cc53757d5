"""What the whole-process benchmarks (peer.py, runbook.py) share: running one command as a
child and reading the kernel's accounting of it, finding pwsh, and printing spreads."""
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(os.environ.get("TMPDIR", "/tmp"), "finetune-bench")

# Size (MB) -> (seed, examples) of the shared gen-chat.js: 5.0, 106.9 and 1,065.9 MB files.
CHAT_FILES = {5: (3, 4760), 100: (3, 101300), 1000: (1, 1013000)}


def measure(command):
    """Runs one command; its wall seconds, CPU seconds (user + system), peak resident memory
    (MiB, from wait4) and output. A failing command stops the benchmark."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.stdout.close()
    code = os.waitstatus_to_exitcode(status)
    text = output.decode("utf-8", "replace")
    if code != 0:
        sys.exit(f"{command[0]} failed (exit {code}):\n{text}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak": usage.ru_maxrss / 1024, "output": text.strip()}


def spread(values, digits):
    """median (min-max)"""
    return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def find_pwsh():
    """pwsh on PATH, else the repository's local tool's own executable (so the dotnet tool
    launcher is not counted in the timings)."""
    on_path = shutil.which("pwsh")
    if on_path:
        return on_path
    run_quiet(["dotnet", "tool", "restore"], cwd=ROOT)
    home = subprocess.run(["dotnet", "pwsh", "-NoProfile", "-c", "$PSHOME"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout.strip()
    return os.path.join(home, "pwsh")


def build_module():
    run_quiet(["dotnet", "build", "-c", "Release", "-nologo", "-clp:ErrorsOnly"], cwd=ROOT)
    return os.path.join(ROOT, "out", "FineTune")


def chat_file(size):
    """The generated chat file of about SIZE MB (made once, then reused from WORK)."""
    seed, examples = CHAT_FILES[size]
    os.makedirs(WORK, exist_ok=True)
    path = os.path.join(WORK, f"chat-seed{seed}-{examples}.jsonl")
    if not os.path.exists(path):
        shared = os.environ.get("FINETUNE_SHARED_DIR", os.path.join(ROOT, "..", "shared"))
        generator = os.path.join(shared, "tools", "tiktoken", "gen-chat.js")
        partial = path + ".partial"
        run_quiet(["node", generator, "--seed", str(seed), "--examples", str(examples), "--out", partial])
        os.replace(partial, path)
    return path


def run_quiet(command, cwd=None):
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed (exit {result.returncode}):\n{result.stdout}{result.stderr}")
