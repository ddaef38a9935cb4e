#!/usr/bin/env python3
"""tools/guest.py: bad arguments are refused in one line; splats are seen."""
import importlib.util
import os
import subprocess
import sys
import unittest

TOOLS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GUEST = os.path.join(TOOLS, "guest.py")
spec = importlib.util.spec_from_file_location("guest", GUEST)
guest = importlib.util.module_from_spec(spec)
spec.loader.exec_module(guest)


def refuse(*args):
    proc = subprocess.run([sys.executable, GUEST, *args], capture_output=True, text=True)
    return proc.returncode, proc.stderr.strip().splitlines()


class ArgumentsTest(unittest.TestCase):
    def test_missing_kernel(self):
        rc, err = refuse("--kernel", "/nonexistent/bzImage")
        self.assertNotEqual(rc, 0)
        self.assertEqual(len(err), 1)
        self.assertIn("no kernel image", err[0])

    def test_uneven_numa_split(self):
        rc, err = refuse("--kernel", GUEST, "--cpus", "6", "--numa", "4")
        self.assertNotEqual(rc, 0)
        self.assertEqual(err, ["guest: error: cannot split 6 CPUs evenly over 4 NUMA nodes"])

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


if __name__ == "__main__":
    unittest.main()
