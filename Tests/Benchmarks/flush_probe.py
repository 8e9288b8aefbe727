#!/usr/bin/env python3
"""Times pwrite + fdatasync on this machine's disk, optionally while another CPU is kept busy.

Why: the store's p99 at a fixed rate is bounded by how long a commit's fdatasync takes, and on a virtual
machine whose host caps its CPU time that depends on what the other vCPU does: once the guest's host-side
CPU use (its vCPUs, including the host's polling of a vCPU that sleeps only briefly, plus the disk
emulation) exceeds the cap, the whole guest is frozen until the cap's 100 ms period ends. This probe needs
nothing of ecbridge, so it tells the machine's behaviour apart from the server's.

--busy-cpu N keeps CPU N busy: 100 % by default, or --busy-duty FRACTION of every --busy-period-ms
(0.3 of 0.2 ms looks like a load generator waking 5,000 times a second). --watch-cpu N spins on CPU N and
reports every gap of more than 1 ms in which it did not run: gaps at the same moments as the slow flushes
mean the whole guest was frozen, not just the disk slow.

usage: flush_probe.py [--dir DIR] [--size 98304] [--rate 1300] [--seconds 4] [--busy-cpu N]
                      [--busy-duty 1.0] [--busy-period-ms 10] [--watch-cpu N]
"""
import argparse, os, subprocess, sys, tempfile, time

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--dir", default=tempfile.gettempdir(), help="where the probe file goes (default $TMPDIR)")
parser.add_argument("--size", type=int, default=98304, help="bytes appended per flush (default 96 KiB, one commit)")
parser.add_argument("--rate", type=float, default=1300, help="flushes per second (default 1300, as serve at 5k req/s)")
parser.add_argument("--seconds", type=float, default=4)
parser.add_argument("--busy-cpu", type=int, help="keep this CPU busy with a spinning child meanwhile")
parser.add_argument("--busy-duty", type=float, default=1.0, help="busy share of each period (default 1.0)")
parser.add_argument("--busy-period-ms", type=float, default=10.0, help="busy/sleep period in ms (default 10)")
parser.add_argument("--watch-cpu", type=int, help="spin on this CPU and report gaps > 1 ms (guest freezes)")
args = parser.parse_args()

SPIN = """
import sys, time
duty, period = float(sys.argv[1]), float(sys.argv[2]) / 1000
while True:
    began = time.perf_counter()
    while time.perf_counter() - began < duty * period:
        pass
    if duty < 1:
        time.sleep((1 - duty) * period)
"""
WATCH = """
import sys, time
end = time.time() + float(sys.argv[1])
previous, gaps = time.perf_counter(), []
while time.time() < end:
    now = time.perf_counter()
    if now - previous > 0.001:
        gaps.append((time.time(), (now - previous) * 1000))
    previous = now
print(" ".join(f"{at:.4f}:{ms:.1f}" for at, ms in gaps))
"""

spinner = watcher = None
if args.busy_cpu is not None:
    spinner = subprocess.Popen(["taskset", "-c", str(args.busy_cpu), sys.executable, "-c", SPIN,
                                str(args.busy_duty), str(args.busy_period_ms)])
    time.sleep(0.5)
if args.watch_cpu is not None:
    watcher = subprocess.Popen(["taskset", "-c", str(args.watch_cpu), sys.executable, "-c", WATCH,
                                str(args.seconds + 0.5)], stdout=subprocess.PIPE, text=True)
    time.sleep(0.2)
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
busy = "" if args.busy_cpu is None else f" duty={args.busy_duty} period_ms={args.busy_period_ms}"
print(f"flushes={n} size={args.size} busy_cpu={args.busy_cpu}{busy} p50={pick(.5):.2f}ms p99={pick(.99):.2f}ms "
      f"p999={pick(.999):.2f}ms max={latencies[-1] * 1000:.2f}ms over_4ms={len(slow)} at_s={slow[:12]}")
if watcher:
    output = watcher.communicate()[0].split()
    gaps = [(round(float(at) - start, 3), float(ms)) for at, ms in (item.split(":") for item in output)]
    gaps = [(at, ms) for at, ms in gaps if at >= 0]
    print(f"watch_cpu={args.watch_cpu} gaps_over_1ms={len(gaps)} total_ms={sum(ms for _, ms in gaps):.1f} "
          f"at_s={[at for at, _ in gaps[:12]]}")
