#!/usr/bin/python3
"""Runs one command (ansible-playbook) so that it cannot outlive the appliance that started it.

The appliance starts it as `setsid python3 runner-guard.py ansible-playbook ARG...`: the guard is the
leader of a new process group, and the command, its workers, modules and ssh masters are in that
group. The guard's stdin is a pipe that the appliance never writes and holds open for the whole run.
The kernel closes it when the appliance process ends, however it ends (SIGKILL and OOM included):
reading it then returns end-of-file, and the guard SIGKILLs its whole group, itself included.
PR_SET_PDEATHSIG would not do: it reaches the direct child only, and fires when the forking *thread*
of the appliance ends, which in .NET is any thread-pool thread.

Cancel is unchanged: the appliance sends SIGINT to the group, ansible-playbook stops its modules and
exits 99, and the guard exits with the child's code (128 + signal when a signal ended it). The guard
survives that SIGINT through a Python handler: SIG_IGN would be inherited by the command across exec.
The command gets /dev/null as stdin, so a prompt fails at once instead of waiting on the pipe.
"""
import os
import signal
import subprocess
import sys
import threading


def kill_group(*_):
    os.killpg(os.getpgrp(), signal.SIGKILL)


def watch_lifeline():
    try:
        while os.read(0, 4096):
            pass
    except OSError:
        pass
    kill_group()


def main(command):
    if not command:
        print("usage: runner-guard.py COMMAND [ARG...]", file=sys.stderr)
        return 2
    if os.getpgrp() != os.getpid():
        # Not started under setsid (by hand, say): a group of its own, so the kill spares the caller's.
        os.setpgid(0, 0)
    signal.signal(signal.SIGINT, lambda *_: None)
    # Asked to stop on its own (systemd stopping the unit, an operator): what it guards goes too.
    signal.signal(signal.SIGTERM, kill_group)
    try:
        child = subprocess.Popen(command, stdin=subprocess.DEVNULL)
    except OSError as e:
        print(f"runner-guard: cannot run {command[0]}: {e.strerror}", file=sys.stderr)
        return 127
    threading.Thread(target=watch_lifeline, daemon=True).start()
    code = child.wait()
    return 128 - code if code < 0 else code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
