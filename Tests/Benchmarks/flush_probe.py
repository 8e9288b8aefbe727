#!/usr/bin/env python3
"""Times pwrite + fdatasync on this machine's disk, optionally while another CPU is kept busy.

Why: the store's p99 at a fixed rate is bounded by how long a commit's fdatasync takes, and on some
virtual machines that depends on whether a vCPU is busy (the hypervisor's I/O work then waits). This
probe needs nothing of ecbridge, so it tells the disk's behaviour apart from the server's.

usage: flush_probe.py [--dir DIR] [--size 98304] [--rate 1300] [--seconds 4] [--busy-cpu N]
"""
import argparse, os, subprocess, sys, tempfile, time

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--dir", default=tempfile.gettempdir(), help="where the probe file goes (default $TMPDIR)")
parser.add_argument("--size", type=int, default=98304, help="bytes appended per flush (default 96 KiB, one commit)")
parser.add_argument("--rate", type=float, default=1300, help="flushes per second (default 1300, as serve at 5k req/s)")
parser.add_argument("--seconds", type=float, default=4)
parser.add_argument("--busy-cpu", type=int, help="keep this CPU 100%% busy with a spinning child meanwhile")
args = parser.parse_args()

spinner = None
if args.busy_cpu is not None:
    spinner = subprocess.Popen(["taskset", "-c", str(args.busy_cpu), sys.executable, "-c", "while True: pass"])
    time.sleep(0.5)
path = os.path.join(args.dir, f"flush-probe-{os.getpid()}")
fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
try:
    block = b"x" * args.size
    latencies, slow = [], []
    start = time.time()
    offset = count = 0
    while time.time() < start + args.seconds:
        due = start + count / args.rate
        while time.time() < due:
            time.sleep(max(0, due - time.time()) / 2)
        count += 1
        began = time.perf_counter()
        os.pwrite(fd, block, offset)
        os.fdatasync(fd)
        took = time.perf_counter() - began
        latencies.append(took)
        offset += args.size
        if took > 0.004:
            slow.append(round(time.time() - start, 3))
finally:
    os.close(fd)
    os.unlink(path)
    if spinner:
        spinner.kill()
latencies.sort()
n = len(latencies)
pick = lambda q: latencies[min(n - 1, int(n * q))] * 1000
print(f"flushes={n} size={args.size} busy_cpu={args.busy_cpu} p50={pick(.5):.2f}ms p99={pick(.99):.2f}ms "
      f"p999={pick(.999):.2f}ms max={latencies[-1] * 1000:.2f}ms over_4ms={len(slow)} at_s={slow[:12]}")
