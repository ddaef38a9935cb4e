#!/usr/bin/env python3
"""Boot a kernel in QEMU, run a command in it, return its exit status.

    tools/guest.py --arch x86_64 --kernel bzImage --cpus 8 --numa 2 -- cmd args
    tools/guest.py --arch arm64 --kernel Image --initrd init.cpio

Two kinds of guest:
  * 9p (x86_64 default): the host's root filesystem, read-only over
    virtio-9p, with tmpfs on /tmp and /run, so Debian's own perf,
    rt-tests, stress-ng and numactl run inside. The command runs from
    tools/guest/init-9p.sh. A writable 9p share is mounted at
    $MULTIOS_OUT for results.
  * initrd (--initrd): the kernel boots a cpio archive whose /init
    does the work (the project's static init, tools/guest/mini-init.c).
  * both (--initrd and a command): a 9p guest whose kernel needs modules
    to reach its root (Debian's own kernel has virtio and 9p as
    modules): the initrd's mini-init loads them (multios.insmod= in
    --append) and hands over to the 9p root, which runs the command.

Whatever the guest prints goes to the console log (--log, kept under
build/); what the command prints between the MULTIOS-BEGIN and MULTIOS-EXIT
markers is echoed to stdout (kernel messages too with --kernel-lines). The run fails (exit 3) on any kernel splat, exits 124 on
time-out, and otherwise returns the guest command's own exit status.

QEMU runs in a process group of its own. However this runner ends (the
guest's exit, a time-out, an error, SIGTERM, SIGINT or SIGHUP from make
or a terminal) it kills that whole group and removes its
build/guest/run-* folder; on a signal it then dies of that signal. Only
SIGKILL cannot be caught: QEMU then gets SIGKILL from the kernel
(PR_SET_PDEATHSIG), and the next run removes the folder.
"""
import argparse
import ctypes
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SPLATS = [
    r"WARNING: CPU: \d+ PID: \d+",
    r"\bBUG: ",
    r"kernel BUG at",
    r"\bOops\b",
    r"Kernel panic - not syncing",
    r"general protection fault",
    r"Unable to handle kernel",
    r"possible circular locking dependency",
    r"possible recursive locking detected",
    r"inconsistent lock state",
    r"possible irq lock inversion",
    r"DEBUG_LOCKS_WARN_ON",
    r"suspicious RCU usage",
    r"rcu: INFO: .*detected stalls?",
    r"RCU stall",
    r"scheduling while atomic",
    r"sleeping function called from invalid context",
    r"KASAN: ",
    r"UBSAN: ",
    r"watchdog: BUG: soft lockup",
    r"INFO: task .* blocked for more than",
    r"list_(add|del) corruption",
    r"refcount_t: ",
    r"kmemleak: \d+ new suspected memory leaks",
]
SPLAT_RE = re.compile("|".join(SPLATS))
EXIT_RE = re.compile(r"MULTIOS-EXIT=(\d+)")
KERNEL_LINE = re.compile(r"^\[\s*\d+\.\d+\] ")

ARCH = {
    # TCG's "max" CPU says AMD, and Linux then finds no SMT siblings in
    # QEMU's topology; as GenuineIntel it reads CPUID leaf 0xB and does.
    # tsc=reliable: TCG's TSC follows the host clock on every vCPU, but on
    # a loaded host the clocksource watchdog sees the emulated HPET read
    # late, calls the TSC unstable and switches timekeeping to the HPET,
    # an emulated MMIO read per clock read that slowed a whole selftest
    # boot severalfold (make check, 2026-11-26).
    # -monitor: no MONITOR/MWAIT. TCG emulates MWAIT on a multi-vCPU guest
    # as a pause, so an offline CPU (play_dead prefers MWAIT) spun its host
    # thread: with 6 of 8 vCPUs offline SCHED_DEADLINE missed 98 of 149
    # jobs on an idle guest and an idle host; without MWAIT it parks in
    # HLT and missed none (2026-11-27).
    "x86_64": dict(qemu="qemu-system-x86_64", machine="q35", cpu="max,vendor=GenuineIntel,-monitor",
                   console="ttyS0", kernel_args="tsc=reliable"),
    "arm64": dict(qemu="qemu-system-aarch64", machine="virt,gic-version=3",
                  cpu="max", console="ttyAMA0"),
    "riscv64": dict(qemu="qemu-system-riscv64", machine="virt", cpu="rv64",
                    console="ttyS0", bios="default", max_sockets=8),
}


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


class Stopped(Exception):
    """SIGTERM, SIGINT or SIGHUP arrived: clean up, then die of it."""

    def __init__(self, signum):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def on_stop_signal(signum, frame):
    # One is enough: a second must not interrupt the clean-up.
    for s in STOP_SIGNALS:
        signal.signal(s, signal.SIG_IGN)
    raise Stopped(signum)


# QEMU processes started and not yet reaped: clean_up() kills what is left.
live_qemus = []


def child_setup():
    """In the child, before exec: take the stop signals again (start_qemu
    blocked them), and get SIGKILL when this runner dies, even of SIGKILL."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (AttributeError, OSError):
        pass


def start_qemu(cmd, **kwargs):
    """QEMU as the leader of a new process group (and session): kill_group()
    reaches whatever it started, and a terminal's Ctrl-C reaches only us.
    The stop signals wait until live_qemus knows it (no other thread runs
    yet to take them)."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        proc = subprocess.Popen(cmd, start_new_session=True, preexec_fn=child_setup, **kwargs)
        live_qemus.append(proc)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
    return proc


def kill_group(proc):
    """SIGKILL to QEMU's process group; nothing if it is already gone."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def stop_qemu(proc):
    kill_group(proc)
    proc.wait()
    if proc in live_qemus:
        live_qemus.remove(proc)


def save_command_log(args):
    """Copy the guest's $MULTIOS_OUT/command.log to --command-log; an
    empty file if the command never ran (no earlier run's output stays)."""
    if not args.command_log:
        return
    outdir = getattr(args, "outdir", None)  # unset if no run was prepared
    src = os.path.join(outdir, "command.log") if outdir else None
    if src and os.path.isfile(src):
        shutil.copyfile(src, args.command_log)
    else:
        open(args.command_log, "w").close()


def clean_up(args):
    """Kill every QEMU group still there and remove the run folder. A stop
    signal arriving meanwhile does not cut this short; it is returned."""
    stopped = None
    while True:
        try:
            while live_qemus:
                stop_qemu(live_qemus[-1])
            if getattr(args, "rundir", None):
                shutil.rmtree(args.rundir, ignore_errors=True)
            return stopped
        except Stopped as e:
            stopped = e.signum


def kvm_usable(args):
    """KVM only when a short probe boot proves it works (nested guests hang)."""
    if args.kvm == "off" or args.arch != "x86_64" or args.initrd:
        return False
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return args.kvm == "on" and sys.exit("error: --kvm on but /dev/kvm unusable")
    if args.kvm == "on":
        return True
    cache = os.path.join(TOP, "build", "guest", "kvm-probe")
    if os.path.exists(cache):
        return open(cache).read().strip() == "yes"
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    cmd = qemu_command(args, kvm=True, append_extra="multios.probe=1",
                       cpus=1, numa=1) + ["-no-reboot"]
    proc = start_qemu(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                      stderr=subprocess.PIPE, text=True, errors="replace")
    try:
        out = proc.communicate(timeout=25)[0]
        ok = "MULTIOS-EXIT=0" in out
    except subprocess.TimeoutExpired:
        ok = False
    finally:
        stop_qemu(proc)
    with open(cache, "w") as f:
        f.write("yes\n" if ok else "no\n")
    return ok


def smp_and_numa(cpus, numa, mem_mb, smt=1):
    """One socket per node, so no cache is shared across nodes: the kernel
    warns about an LLC spanning two nodes, and so would our topology checks.
    With smt > 1 each core has that many hardware threads. CPUs that do not
    split evenly over the nodes (255 over 128) become one single-core
    socket each, and the first cpus % numa nodes get one CPU more."""
    per, extra = divmod(cpus, numa)
    if extra:
        opts = ["-smp", f"{cpus},sockets={cpus},cores=1,threads=1"]
    else:
        opts = ["-smp", f"{cpus},sockets={numa},cores={per // smt},threads={smt}"]
    if numa > 1:
        node_mem = mem_mb // numa
        first = 0
        for n in range(numa):
            last = first + per + (1 if n < extra else 0) - 1
            opts += ["-object", f"memory-backend-ram,id=m{n},size={node_mem}M",
                     "-numa", f"node,nodeid={n},cpus={first}-{last},memdev=m{n}"]
            first = last + 1
    return opts


def ring_distance(a, b, numa):
    """SLIT distance of nodes a and b on a ring of numa nodes: 10 to
    itself, then 16, 22, 28, ... per hop the shorter way round, as the
    interconnect of a multi-socket machine grows (capped at 254, the
    largest reachable distance ACPI allows)."""
    hops = abs(a - b)
    hops = min(hops, numa - hops)
    return 10 if hops == 0 else min(10 + 6 * hops, 254)


def numa_distances(numa, kind):
    """QEMU options for a distance matrix: none for "flat" (every remote
    distance 20, QEMU's default); "ring" for ring_distance(). Symmetric,
    so one direction per pair is enough for QEMU."""
    if kind == "flat" or numa < 2:
        return []
    opts = []
    for a in range(numa):
        for b in range(a + 1, numa):
            opts += ["-numa", f"dist,src={a},dst={b},val={ring_distance(a, b, numa)}"]
    return opts


def qemu_command(args, kvm, append_extra="", cpus=None, numa=None):
    a = ARCH[args.arch]
    cpus = cpus or args.cpus
    numa = numa or args.numa
    mem = args.mem - args.mem % numa
    cmdline = [f"console={a['console']}", "panic=-1", "oops=panic" if args.panic_on_oops else "",
               "loglevel=7", "nokaslr", a.get("kernel_args", "")]
    cmd = [a["qemu"], "-M", a["machine"], "-m", f"{mem}M", "-nographic",
           "-no-reboot", "-display", "none", "-serial", "stdio", "-monitor", "none"]
    if a.get("bios"):
        cmd += ["-bios", a["bios"]]
    cmd += ["-cpu", "host" if kvm else a["cpu"]]
    if kvm:
        cmd += ["-enable-kvm"]
    cmd += smp_and_numa(cpus, numa, mem, 1 if cpus != args.cpus else args.smt)
    cmd += numa_distances(numa, getattr(args, "numa_dist", "flat"))
    cmd += ["-kernel", args.kernel]
    if args.initrd:
        cmd += ["-initrd", args.initrd]
        cmdline += ["rdinit=/init"]
    if args.command:
        # mini-init mounts the root itself when an initrd comes first.
        cmdline += ["multios.root=9p" if args.initrd else ""]
    if not args.initrd or args.command:
        cmd += ["-fsdev", "local,id=root,path=/,security_model=none,readonly=on,multidevs=remap",
                "-device", "virtio-9p-pci,fsdev=root,mount_tag=root",
                "-fsdev", f"local,id=out,path={args.outdir},security_model=none",
                "-device", "virtio-9p-pci,fsdev=out,mount_tag=out"]
        # cache=loose keeps what the guest read in its page cache, and
        # msize=512000 moves 512 KB per message instead of 128 KB. Without
        # them (no cache) every exec re-read its binary and libraries as 9p
        # round trips through QEMU's main loop: 190 ms per exec in an idle
        # 8-vCPU TCG guest and 680 ms beside two spinning vCPUs, against
        # 87 and 150 ms with them (40 execs, 2026-11-27). The root is
        # read-only and nothing on the host changes it while a guest runs,
        # so a loose cache cannot show the guest stale files.
        cmdline += ["root=root", "rootfstype=9p",
                    "rootflags=trans=virtio,version=9p2000.L,cache=loose,msize=512000",
                    "ro", f"init={TOP}/tools/guest/init-9p.sh", f"multios.run={args.rundir}",
                    f"multios.top={TOP}"]
    cmdline += [append_extra, " ".join(args.append.split())]
    cmd += ["-append", " ".join(c for c in cmdline if c)]
    return cmd


def process_id(pid):
    """"PID START-TIME" of a running process (a zombie is not), or None: a
    PID alone may have been reused since."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return None if fields[0] in "ZX" else f"{pid} {fields[19]}"


def sweep_stale_runs(base):
    """Remove the run folders of runners that died without removing them
    (SIGKILL): those whose runner.pid names no running process. Folders
    without one are left alone."""
    for name in os.listdir(base):
        path = os.path.join(base, name)
        try:
            with open(os.path.join(path, "runner.pid")) as f:
                recorded = f.read().strip()
        except OSError:
            continue
        if name.startswith("run-") and process_id((recorded.split() or ["?"])[0]) != recorded:
            shutil.rmtree(path, ignore_errors=True)


def prepare_run(args):
    """Write the command for init-9p.sh into a fresh run folder."""
    base = os.path.join(TOP, "build", "guest")
    os.makedirs(base, exist_ok=True)
    sweep_stale_runs(base)
    args.rundir = tempfile.mkdtemp(prefix="run-", dir=base)
    with open(os.path.join(args.rundir, "runner.pid"), "w") as f:
        f.write(process_id(os.getpid()) + "\n")
    args.outdir = args.out or os.path.join(args.rundir, "out")
    os.makedirs(args.outdir, exist_ok=True)
    # A reused --out folder may hold an earlier run's: not this run's output.
    try:
        os.unlink(os.path.join(args.outdir, "command.log"))
    except FileNotFoundError:
        pass
    command = args.command or ["true"]
    with open(os.path.join(args.rundir, "cmd.sh"), "w") as f:
        f.write("#!/bin/sh\n")
        f.write(f"cd {shlex.quote(os.getcwd())} || exit 1\n")
        f.write(" ".join(shlex.quote(c) for c in command) + "\n")
    os.chmod(os.path.join(args.rundir, "cmd.sh"), 0o755)


def run(args):
    log_path = args.log
    if not args.initrd or args.command:
        prepare_run(args)
    kvm = kvm_usable(args)
    cmd = qemu_command(args, kvm)
    start = time.monotonic()
    timed_out = threading.Event()
    proc = start_qemu(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                      stderr=subprocess.STDOUT)

    def on_timeout():
        timed_out.set()
        kill_group(proc)

    timer = threading.Timer(args.timeout, on_timeout)
    timer.daemon = True
    splats, status, echo, booted = [], None, False, False
    try:
        timer.start()
        with open(log_path, "w") as log:
            log.write("# " + " ".join(shlex.quote(c) for c in cmd) + "\n")
            for raw in proc.stdout:
                line = raw.decode("utf-8", "replace").replace("\r", "")
                log.write(line)
                if SPLAT_RE.search(line):
                    splats.append(line.rstrip())
                m = EXIT_RE.search(line)
                if m:
                    status = int(m.group(1))
                    echo = False
                if echo and not args.quiet and (args.kernel_lines or not KERNEL_LINE.match(line)):
                    sys.stdout.write(line)
                    sys.stdout.flush()
                if "MULTIOS-BEGIN" in line:
                    echo = booted = True
    finally:
        # Also on a signal or an error: nothing QEMU started outlives us.
        timer.cancel()
        stop_qemu(proc)
    timed_out = timed_out.is_set() and status is None
    elapsed = time.monotonic() - start
    where = (f"{args.arch}, {args.cpus} CPUs, {args.numa} nodes"
             f"{f', SMT{args.smt}' if args.smt > 1 else ''}, {'KVM' if kvm else 'TCG'}")
    if splats:
        print(f"guest: kernel splat ({where}); console log: {log_path}", file=sys.stderr)
        for s in splats[:10]:
            print(f"guest:   {s}", file=sys.stderr)
        return 3
    if status is None:
        why = f"timed out after {args.timeout}s" if timed_out else "ended without an exit status"
        print(f"guest: {why} ({where}); console log: {log_path}", file=sys.stderr)
        if not booted:
            # QEMU refused to start, or the kernel never reached userspace:
            # its last words are the useful part.
            with open(log_path, errors="replace") as log:
                for line in log.readlines()[-8:]:
                    print(f"guest:   {line.rstrip()}", file=sys.stderr)
        return 124
    if args.verbose:
        print(f"guest: exit {status} after {elapsed:.1f}s ({where})", file=sys.stderr)
    return status


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--arch", choices=sorted(ARCH), default="x86_64")
    p.add_argument("--kernel", required=True)
    p.add_argument("--initrd", help="boot this cpio instead of the host root over 9p")
    p.add_argument("--cpus", type=int, default=8)
    p.add_argument("--numa", type=int, default=2)
    p.add_argument("--numa-dist", choices=["flat", "ring"], default="flat",
                   help="node distances: flat (QEMU's 20 between any two nodes) or ring "
                        "(16, 22, 28, ... per hop around a ring of the nodes)")
    p.add_argument("--smt", type=int, default=1, help="hardware threads per core")
    p.add_argument("--mem", type=int, default=2048, help="MiB")
    p.add_argument("--timeout", type=int, default=600, help="seconds")
    p.add_argument("--log", help="console log file (default build/guest/ARCH-console.log)")
    p.add_argument("--out", help="host folder mounted writable at $MULTIOS_OUT (9p guests)")
    p.add_argument("--command-log",
                   help="copy the command's own output here (stdout and stderr, without the "
                        "kernel's messages, which on the console can cut its lines in two)")
    p.add_argument("--append", default="", help="extra kernel command line")
    p.add_argument("--kvm", choices=["auto", "on", "off"], default="auto")
    p.add_argument("--panic-on-oops", action="store_true")
    p.add_argument("--quiet", action="store_true", help="do not echo the command's output")
    p.add_argument("--kernel-lines", action="store_true",
                   help="also echo kernel messages (they are always in the log)")
    p.add_argument("--verbose", action="store_true")
    p.add_argument("command", nargs="*")
    args = p.parse_args()
    # The log is emptied before anything can fail, so that a run that
    # never starts QEMU leaves no earlier run's console for a reader
    # (make check reads KUnit's results out of it).
    args.log = args.log or os.path.join(TOP, "build", "guest", f"{args.arch}-console.log")
    os.makedirs(os.path.dirname(os.path.abspath(args.log)), exist_ok=True)
    open(args.log, "w").close()
    if args.command_log:
        open(args.command_log, "w").close()
    problem = check_args(args)
    if problem:
        sys.exit(f"guest: error: {problem}")
    args.kernel = os.path.abspath(args.kernel)
    if args.initrd:
        args.initrd = os.path.abspath(args.initrd)
    for s in STOP_SIGNALS:
        signal.signal(s, on_stop_signal)
    stopped, status = None, 1
    try:
        status = run(args)
    except Stopped as e:
        stopped = e.signum
    finally:
        # Before the run folder goes: also the output of a run that failed
        # or timed out, for whoever reads its results.
        save_command_log(args)
        stopped = clean_up(args) or stopped
    if stopped:
        print(f"guest: stopped by {signal.Signals(stopped).name}; QEMU killed",
              file=sys.stderr)
        sys.stdout.flush()
        signal.signal(stopped, signal.SIG_DFL)
        os.kill(os.getpid(), stopped)
    sys.exit(status)


def check_args(args):
    """One line saying what is wrong with the arguments, or None."""
    if not os.path.isfile(args.kernel):
        return f"no kernel image at {args.kernel} (build it: make kernel-{args.arch})"
    if args.initrd and not os.path.isfile(args.initrd):
        return f"no initramfs at {args.initrd}"
    if args.cpus < 1 or args.numa < 1:
        return f"--cpus and --numa must be at least 1 (got {args.cpus}, {args.numa})"
    if args.numa > args.cpus:
        return f"cannot split {args.cpus} CPUs over {args.numa} NUMA nodes"
    if args.cpus % args.numa and args.smt != 1:
        return f"{args.cpus} CPUs do not split evenly over {args.numa} nodes: no --smt then"
    if args.smt < 1 or (args.cpus // args.numa) % args.smt:
        return f"cannot split {args.cpus // args.numa} CPUs per node into {args.smt}-thread cores"
    if args.numa > ARCH[args.arch].get("max_sockets", 1 << 16):
        return (f"QEMU's {args.arch} machine has at most {ARCH[args.arch]['max_sockets']} "
                f"sockets, and each NUMA node is one socket")
    if args.mem // args.numa < 128:
        return f"{args.mem} MiB is too little for {args.numa} nodes (128 MiB each at least)"
    if args.timeout < 1:
        return f"--timeout must be positive (got {args.timeout})"
    return None


if __name__ == "__main__":
    main()
