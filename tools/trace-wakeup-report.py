#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Summarize selftests/sched/trace-wakeup-path.sh's traces.

    tools/trace-wakeup-report.py OUT_DIR

For each phase (cfs, class, cfs-again) found in OUT_DIR:

* from events.PHASE, per timer wake-up of cyclictest on the traced CPU,
  the median and mean in microseconds of:
    late      hrtimer expiry seen by the interrupt minus the time asked
              for (softexpires: the hard expiry adds the timer slack);
              how late the vCPU took the interrupt, slack included;
    to_wake   expiry handler entered -> sched_wakeup (the wake-up path:
              select, enqueue);
    to_run    sched_wakeup -> sched_switch to the thread (the rest of the
              interrupt, leaving idle, picking, switching);
    total     late + to_wake + to_run, what cyclictest sees before it
              returns to user space.
* from graph.PHASE, for the scheduler's class hooks and the module's
  functions: calls per wake-up and the median duration of one call as
  function_graph measured it. The tracer adds about a microsecond per
  traced call under TCG, so compare the calls and the shape, not the
  absolute times. "traced calls per wake-up" counts every function.
"""
import collections
import os
import re
import statistics
import sys

HOOKS = re.compile(r'(enqueue_task|dequeue_task|pick_next_task|pick_task|put_prev_task|'
                   r'set_next_task|balance|check_preempt|select_task_rq|task_tick|'
                   r'update_curr)(_\w+)?|sched_balance_newidle|hrtimer_(start|try_to_cancel)\w*|'
                   r'multios_[\w.]+|.*\[multios_\w+\]')
LINE = re.compile(r'\s(\d+\.\d+): (\w+): (.*)')


def events(path):
    """Per wake-up intervals (us) from the events trace."""
    out = {'late': [], 'to_wake': [], 'to_run': [], 'total': []}
    asked = {}          # pid -> expiry its last hrtimer_start asked for
    now = entered = None
    woken = None        # (pid, ts, late, entered)
    with open(path) as f:
        for line in f:
            m = LINE.search(line)
            if not m:
                continue
            ts, ev, rest = float(m.group(1)) * 1e6, m.group(2), m.group(3)
            task = line.split('[')[0].strip()
            if ev == 'hrtimer_start' and 'function=hrtimer_wakeup' in rest:
                pid = task.rsplit('-', 1)[-1]
                asked[pid] = int(re.search(r'softexpires=(\d+)', rest).group(1)) / 1e3
            elif ev == 'hrtimer_expire_entry' and 'function=hrtimer_wakeup' in rest:
                now = int(re.search(r'now=(\d+)', rest).group(1)) / 1e3
                entered = ts
            elif ev == 'sched_wakeup' and 'comm=cyclictest' in rest and entered is not None:
                pid = re.search(r' pid=(\d+)', rest).group(1)
                if pid in asked:
                    woken = (pid, ts, now - asked.pop(pid), entered)
                entered = None
            elif ev == 'sched_switch' and woken is not None:
                pid = re.search(r'next_pid=(\d+)', rest).group(1)
                if pid == woken[0]:
                    _, t_wake, late, t_enter = woken
                    out['late'].append(late)
                    out['to_wake'].append(t_wake - t_enter)
                    out['to_run'].append(ts - t_wake)
                    out['total'].append(late + ts - t_enter)
                    woken = None
    return out


def graph(path):
    """Durations (us) of every call by function name, and the call count."""
    calls = collections.defaultdict(list)
    stack = []
    total = 0
    with open(path) as f:
        for line in f:
            if line.startswith('#'):
                continue
            # "CPU) [TASK-PID |] DURATION | CALL": the last two fields.
            parts = line.split('|')
            if len(parts) < 2:
                continue
            d = re.search(r'([\d.]+) us', parts[-2])
            d = float(d.group(1)) if d else None
            fn = parts[-1].strip()
            if fn.endswith('{'):
                stack.append(re.sub(r'\(\).*', '', fn))
                total += 1
            elif fn.startswith('}'):
                if not stack:
                    continue
                name = stack.pop()
                if d is not None:
                    calls[name].append(d)
            elif fn.endswith(');'):
                total += 1
                if d is not None:
                    calls[re.sub(r'\(\).*', '', fn)].append(d)
    return calls, total


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    folder = sys.argv[1]
    phases = [p for p in ('cfs', 'class', 'cfs-again')
              if os.path.exists(os.path.join(folder, 'events.' + p))]
    if not phases:
        sys.exit('no events.PHASE file in %s' % folder)
    print('wake-up intervals, us (median / mean, n wake-ups)')
    for p in phases:
        ev = events(os.path.join(folder, 'events.' + p))
        if not ev['total']:
            print('  %-10s no complete wake-up found' % p)
            continue
        print('  %-10s n %5d  ' % (p, len(ev['total'])) + '  '.join(
            '%s %6.1f / %6.1f' % (k, statistics.median(v), statistics.mean(v))
            for k, v in ev.items()))
    for p in phases:
        path = os.path.join(folder, 'graph.' + p)
        if not os.path.exists(path):
            continue
        calls, total = graph(path)
        wakeups = len(calls.get('hrtimer_wakeup', []))
        if not wakeups:
            print('\n%s: no wake-up in the function graph' % p)
            continue
        print('\n%s: %d wake-ups, %.0f traced calls per wake-up' % (p, wakeups, total / wakeups))
        print('  %-46s %10s %10s' % ('function', 'calls/wake', 'median us'))
        for name in sorted(n for n in calls if HOOKS.fullmatch(n)):
            print('  %-46s %10.2f %10.2f' % (name[:46], len(calls[name]) / wakeups,
                                             statistics.median(calls[name])))


if __name__ == '__main__':
    main()
