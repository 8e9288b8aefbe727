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
mean the whole guest was frozen, not just the disk slow. --co-duty FRACTION (of --co-period-ms) adds a
spinner on the probe's own CPU, a stand-in for the server's work beside its commits; the flush latencies
then include waiting for that CPU, so read the freezes from the steal figures. Every run ends with each
CPU's busy and steal share of the window (from /proc/stat; steal is time the host took away), and
--rate 0 runs the loads alone, with no flushes.

usage: flush_probe.py [--dir DIR] [--size 98304] [--rate 1300] [--seconds 4] [--busy-cpu N]
                      [--busy-duty 1.0] [--busy-period-ms 10] [--watch-cpu N] [--co-duty F --co-period-ms 0.2]
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
parser.add_argument("--co-duty", type=float, help="also keep the probe's own CPU busy this share of each period")
parser.add_argument("--co-period-ms", type=float, default=0.2, help="period of --co-duty in ms (default 0.2)")
args = parser.parse_args()


def cpu_times():
    """Per-CPU (busy, steal, total) jiffies from /proc/stat."""
    times = {}
    with open("/proc/stat") as stat:
        for line in stat:
            name, *fields = line.split()
            if not name.startswith("cpu") or name == "cpu":
                continue
            user, nice, system, idle, iowait, irq, softirq, steal = (int(value) for value in fields[:8])
            busy = user + nice + system + irq + softirq
            times[name[3:]] = (busy, steal, busy + idle + iowait + steal)
    return times

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

spinner = co_spinner = watcher = None
if args.busy_cpu is not None:
    spinner = subprocess.Popen(["taskset", "-c", str(args.busy_cpu), sys.executable, "-c", SPIN,
                                str(args.busy_duty), str(args.busy_period_ms)])
    time.sleep(0.5)
if args.co_duty is not None:
    own_cpus = ",".join(str(cpu) for cpu in sorted(os.sched_getaffinity(0)))
    co_spinner = subprocess.Popen(["taskset", "-c", own_cpus, sys.executable, "-c", SPIN,
                                   str(args.co_duty), str(args.co_period_ms)])
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
    before = cpu_times()
    start = time.time()
    offset = count = 0
    while args.rate <= 0 and time.time() < start + args.seconds:
        time.sleep(0.05)
    while args.rate > 0 and time.time() < start + args.seconds:
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
    after = cpu_times()
finally:
    os.close(fd)
    os.unlink(path)
    for child in (spinner, co_spinner):
        if child:
            child.kill()
latencies.sort()
n = len(latencies)
pick = lambda q: latencies[min(n - 1, int(n * q))] * 1000 if n else 0.0
busy = "" if args.busy_cpu is None else f" duty={args.busy_duty} period_ms={args.busy_period_ms}"
co = "" if args.co_duty is None else f" co_duty={args.co_duty} co_period_ms={args.co_period_ms}"
print(f"flushes={n} rate={args.rate:g} size={args.size} busy_cpu={args.busy_cpu}{busy}{co} p50={pick(.5):.2f}ms "
      f"p99={pick(.99):.2f}ms p999={pick(.999):.2f}ms max={pick(1):.2f}ms over_4ms={len(slow)} at_s={slow[:12]}")
shares = []
for cpu, (busy_after, steal_after, total_after) in sorted(after.items()):
    busy_before, steal_before, total_before = before.get(cpu, (0, 0, 0))
    total = max(1, total_after - total_before)
    shares.append(f"{cpu}:{100 * (busy_after - busy_before) / total:.0f}/{100 * (steal_after - steal_before) / total:.1f}")
print("cpu_busy_steal_percent=" + " ".join(shares))
if watcher:
    output = watcher.communicate()[0].split()
    gaps = [(round(float(at) - start, 3), float(ms)) for at, ms in (item.split(":") for item in output)]
    gaps = [(at, ms) for at, ms in gaps if at >= 0]
    print(f"watch_cpu={args.watch_cpu} gaps_over_1ms={len(gaps)} total_ms={sum(ms for _, ms in gaps):.1f} "
          f"at_s={[at for at, _ in gaps[:12]]}")
