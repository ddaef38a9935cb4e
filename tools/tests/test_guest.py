#!/usr/bin/env python3
"""tools/guest.py: bad arguments are refused in one line; splats are seen;
QEMU and the run folder never outlive the runner (with a fake QEMU)."""
import atexit
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest

TOOLS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GUEST = os.path.join(TOOLS, "guest.py")
spec = importlib.util.spec_from_file_location("guest", GUEST)
guest = importlib.util.module_from_spec(spec)
spec.loader.exec_module(guest)


SCRATCH = tempfile.mkdtemp(prefix="test_guest-")
SCRATCH_LOG = os.path.join(SCRATCH, "console.log")
atexit.register(shutil.rmtree, SCRATCH, ignore_errors=True)


def refuse(*args):
    # Its own log: the runner empties the log it is given, even when it
    # refuses its arguments, and the default is the build folder's.
    proc = subprocess.run([sys.executable, GUEST, "--log", SCRATCH_LOG, *args],
                          capture_output=True, text=True)
    return proc.returncode, proc.stderr.strip().splitlines()


class ArgumentsTest(unittest.TestCase):
    def test_a_refused_run_leaves_no_earlier_console(self):
        # make check reads KUnit's results out of the console log: an
        # earlier run's must not be there to be read.
        with open(SCRATCH_LOG, "w") as f:
            f.write("    ok 1 a_case_of_an_earlier_run\n")
        rc, err = refuse("--kernel", "/nonexistent/bzImage")
        self.assertNotEqual(rc, 0)
        with open(SCRATCH_LOG) as f:
            self.assertEqual(f.read(), "")

    def test_missing_kernel(self):
        rc, err = refuse("--kernel", "/nonexistent/bzImage")
        self.assertNotEqual(rc, 0)
        self.assertEqual(len(err), 1)
        self.assertIn("no kernel image", err[0])

    def test_uneven_numa_split_refuses_smt(self):
        rc, err = refuse("--kernel", GUEST, "--cpus", "6", "--numa", "4", "--smt", "2")
        self.assertNotEqual(rc, 0)
        self.assertEqual(err, ["guest: error: 6 CPUs do not split evenly over 4 nodes: "
                               "no --smt then"])

    def test_more_nodes_than_cpus(self):
        rc, err = refuse("--kernel", GUEST, "--cpus", "2", "--numa", "4")
        self.assertNotEqual(rc, 0)
        self.assertIn("cannot split", err[-1])

    def test_unknown_architecture(self):
        rc, err = refuse("--arch", "mips", "--kernel", GUEST)
        self.assertNotEqual(rc, 0)
        self.assertIn("invalid choice: 'mips'", err[-1])

    def test_smt_must_divide_cores(self):
        rc, err = refuse("--kernel", GUEST, "--cpus", "6", "--numa", "2", "--smt", "2")
        self.assertNotEqual(rc, 0)
        self.assertIn("2-thread cores", err[-1])

    def test_riscv_socket_limit(self):
        rc, err = refuse("--arch", "riscv64", "--kernel", GUEST, "--cpus", "16", "--numa", "16")
        self.assertNotEqual(rc, 0)
        self.assertIn("at most 8 sockets", err[-1])

    def test_too_little_memory_per_node(self):
        rc, err = refuse("--kernel", GUEST, "--cpus", "8", "--numa", "8", "--mem", "512")
        self.assertNotEqual(rc, 0)
        self.assertIn("too little", err[-1])


class SplatTest(unittest.TestCase):
    SPLATS = [
        "[    3.1] WARNING: CPU: 7 PID: 96 at kernel/locking/lockdep.c:932 look_up_lock_class",
        "[    3.1] BUG: sleeping function called from invalid context at mm/slab.h:1",
        "[    3.1] BUG: scheduling while atomic: swapper/0/0/0x00000002",
        "[    3.1] WARNING: possible circular locking dependency detected",
        "[    3.1] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:",
        "[    3.1] watchdog: BUG: soft lockup - CPU#0 stuck for 22s!",
        "[    3.1] Oops: 0000 [#1] PREEMPT SMP",
        "[    3.1] kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)",
    ]
    CLEAN = [
        "[    3.1] multios: core 0.1.0 loaded: 8 CPUs, 2 nodes",
        "[    3.1] hrtimer: interrupt took 38947980 ns",
        "[    3.1] multios_core: module verification failed: signature and/or required key missing",
        "ok 9 read-only files refuse writes, values unchanged",
    ]

    def test_splats_are_seen(self):
        for line in self.SPLATS:
            self.assertTrue(guest.SPLAT_RE.search(line), line)

    def test_normal_lines_are_not_splats(self):
        for line in self.CLEAN:
            self.assertFalse(guest.SPLAT_RE.search(line), line)

    def test_one_socket_per_node(self):
        opts = guest.smp_and_numa(8, 2, 2048)
        self.assertEqual(opts[:2], ["-smp", "8,sockets=2,cores=4,threads=1"])
        self.assertIn("node,nodeid=1,cpus=4-7,memdev=m1", opts)
        self.assertEqual(guest.smp_and_numa(8, 2, 2048, smt=2)[1],
                         "8,sockets=2,cores=2,threads=2")

    def test_ring_distances(self):
        # 8 nodes: 1 to 4 hops the shorter way round.
        self.assertEqual([guest.ring_distance(0, b, 8) for b in range(8)],
                         [10, 16, 22, 28, 34, 28, 22, 16])
        self.assertEqual(guest.ring_distance(0, 64, 128), 254)  # capped
        opts = guest.numa_distances(4, "ring")
        self.assertEqual(len(opts), 2 * 6)  # one per pair
        self.assertIn("dist,src=0,dst=2,val=22", opts)
        self.assertIn("dist,src=0,dst=3,val=16", opts)
        self.assertEqual(guest.numa_distances(4, "flat"), [])
        self.assertEqual(guest.numa_distances(1, "ring"), [])

    def test_uneven_split_single_core_sockets(self):
        # 255 over 128 nodes: nodes 0..126 get 2 CPUs, node 127 one.
        opts = guest.smp_and_numa(255, 128, 4096)
        self.assertEqual(opts[:2], ["-smp", "255,sockets=255,cores=1,threads=1"])
        self.assertIn("node,nodeid=0,cpus=0-1,memdev=m0", opts)
        self.assertIn("node,nodeid=126,cpus=252-253,memdev=m126", opts)
        self.assertIn("node,nodeid=127,cpus=254-254,memdev=m127", opts)
        self.assertIn("memory-backend-ram,id=m127,size=32M", opts)
        # 6 over 4: the first two nodes get the extra CPUs.
        opts = guest.smp_and_numa(6, 4, 2048)
        self.assertIn("node,nodeid=1,cpus=2-3,memdev=m1", opts)
        self.assertIn("node,nodeid=2,cpus=4-4,memdev=m2", opts)



# A stand-in for qemu-system-*: records its pid, a helper child's pid and
# the run folder (from multios.run= on the kernel command line), then
# either plays a guest that exits (FAKE_QEMU_MODE=exit) or hangs.
FAKE_QEMU = r"""#!/bin/sh
run=$(echo "$@" | sed -n 's/.*multios\.run=\([^ ]*\).*/\1/p')
sleep 600 &
helper=$!
echo "$$ $helper $run" >"$FAKE_QEMU_STATE.tmp" && mv "$FAKE_QEMU_STATE.tmp" "$FAKE_QEMU_STATE"
echo "[    0.100] Linux version 6.1 (fake)"
if [ "$FAKE_QEMU_MODE" = exit ]; then
    echo MULTIOS-BEGIN
    echo "hello from the guest"
    # What init-9p.sh's tee writes: the command's lines whole, where the
    # console had a kernel message cut one in two.
    echo "# 1..6" >"$run/out/command.log"
    echo "# 1.[   13.5] smpboot: CPU 3 is now offline"
    echo ".6"
    echo MULTIOS-EXIT=7
    kill $helper
    exit 0
fi
wait
"""

# Runs guest.main() with every architecture's QEMU replaced and TOP (where
# build/guest/run-* go) moved into the test's own folder.
RUNNER = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("guest", sys.argv[1])
guest = importlib.util.module_from_spec(spec)
spec.loader.exec_module(guest)
guest.TOP = sys.argv[2]
for arch in guest.ARCH.values():
    arch["qemu"] = sys.argv[3]
sys.argv = ["guest.py"] + sys.argv[4:]
guest.main()
"""


def alive(pid):
    """Running (a zombie or a missing /proc entry is not)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in "ZX"
    except FileNotFoundError:
        return False


def stat(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().strip()
    except FileNotFoundError:
        return "gone"


class CleanupTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="guest-test-")
        self.dir = self.tmp.name
        self.qemu = os.path.join(self.dir, "fake-qemu")
        with open(self.qemu, "w") as f:
            f.write(FAKE_QEMU)
        os.chmod(self.qemu, 0o755)
        self.state = os.path.join(self.dir, "state")
        self.procs = []

    def tearDown(self):
        for p in self.procs:  # a failed test must not leave anything either
            if p.poll() is None:
                p.kill()
                p.wait()
        if os.path.exists(self.state):
            for pid in self.read_state()[:2]:
                if alive(pid):
                    os.kill(pid, signal.SIGKILL)
        self.tmp.cleanup()

    def start(self, mode, *args):
        env = dict(os.environ, FAKE_QEMU_STATE=self.state, FAKE_QEMU_MODE=mode)
        p = subprocess.Popen(
            [sys.executable, "-c", RUNNER, GUEST, self.dir, self.qemu,
             "--kernel", self.qemu, "--kvm", "off", "--cpus", "2", "--numa", "1",
             "--log", os.path.join(self.dir, "console.log"), *args, "--", "true"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.procs.append(p)
        return p

    def read_state(self):
        with open(self.state) as f:
            qemu, helper, run = f.read().split()
        return int(qemu), int(helper), run

    def wait_for_qemu(self, proc):
        for _ in range(200):
            if os.path.exists(self.state):
                return self.read_state()
            self.assertIsNone(proc.poll(), "the runner ended before QEMU started")
            time.sleep(0.05)
        self.fail("the fake QEMU never started")

    def assert_gone(self, qemu, helper, run):
        for _ in range(100):
            if not alive(qemu) and not alive(helper):
                break
            time.sleep(0.05)
        self.assertFalse(alive(qemu), "QEMU outlived the runner")
        self.assertFalse(alive(helper),
                         f"a process QEMU started outlived the runner: {stat(helper)}")
        self.assertTrue(run.startswith(os.path.join(self.dir, "build", "guest", "run-")), run)
        self.assertFalse(os.path.exists(run), f"{run} was left behind")

    def test_normal_exit_returns_status_and_cleans_up(self):
        p = self.start("exit")
        out, err = p.communicate(timeout=60)
        self.assertEqual(p.returncode, 7, err)
        self.assertIn("hello from the guest", out)
        self.assert_gone(*self.read_state())

    def test_command_log_is_the_commands_own_output(self):
        log = os.path.join(self.dir, "command.log")
        p = self.start("exit", "--command-log", log)
        out, err = p.communicate(timeout=60)
        self.assertEqual(p.returncode, 7, err)
        with open(log) as f:
            self.assertEqual(f.read(), "# 1..6\n")

    def command_log_after_a_timeout(self, stale, *args):
        """Writes an earlier run's line to stale, runs a guest that times
        out with --command-log and args, returns the log it left."""
        with open(stale, "w") as f:
            f.write("ok 1 a case of an earlier run\n")
        log = os.path.join(self.dir, "command.log")
        p = self.start("hang", "--timeout", "1", "--command-log", log, *args)
        out, err = p.communicate(timeout=60)
        self.assertEqual(p.returncode, 124, err)
        with open(log) as f:
            return f.read()

    def test_command_log_of_a_run_that_never_ran_is_empty(self):
        log = os.path.join(self.dir, "command.log")
        self.assertEqual(self.command_log_after_a_timeout(log), "")

    def test_command_log_of_a_reused_out_folder_is_not_read(self):
        out = os.path.join(self.dir, "out")
        os.makedirs(out)
        self.assertEqual(self.command_log_after_a_timeout(
            os.path.join(out, "command.log"), "--out", out), "")

    def test_stale_run_folders_are_swept(self):
        base = os.path.join(self.dir, "build", "guest")
        dead = subprocess.Popen(["true"])
        dead.wait()
        folders = {
            "run-dead": f"{dead.pid} 1",  # its runner is gone
            "run-reused": f"{os.getpid()} 1",  # the PID lives, but started later
            "run-live": guest.process_id(os.getpid()),  # a runner still running
            "run-old": None,  # no runner.pid: left alone
        }
        for name, pid in folders.items():
            os.makedirs(os.path.join(base, name))
            if pid:
                with open(os.path.join(base, name, "runner.pid"), "w") as f:
                    f.write(pid + "\n")
        p = self.start("exit")
        out, err = p.communicate(timeout=60)
        self.assertEqual(p.returncode, 7, err)
        self.assertEqual(sorted(os.listdir(base)), ["run-live", "run-old"])

    def test_timeout_kills_qemu_group(self):
        p = self.start("hang", "--timeout", "1")
        qemu, helper, run = self.wait_for_qemu(p)
        out, err = p.communicate(timeout=60)
        self.assertEqual(p.returncode, 124, err)
        self.assertIn("timed out after 1s", err)
        self.assert_gone(qemu, helper, run)

    def test_signals_kill_qemu_group(self):
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            with self.subTest(signal=sig.name):
                if os.path.exists(self.state):
                    os.unlink(self.state)
                p = self.start("hang", "--timeout", "600")
                qemu, helper, run = self.wait_for_qemu(p)
                self.assertTrue(alive(qemu) and os.path.isdir(run))
                p.send_signal(sig)
                out, err = p.communicate(timeout=60)
                self.assertEqual(p.returncode, -sig, err)
                self.assertIn(f"stopped by {sig.name}", err)
                self.assert_gone(qemu, helper, run)


if __name__ == "__main__":
    unittest.main()
