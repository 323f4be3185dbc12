"""Runs a training binary with NNC_TEST_PAUSE_IN_SAVE set, waits until its checkpoint
save has begun (a last.nnck.tmp-* file appears in the checkpoint folder), SIGKILLs it
halfway through the write, and exits 0 only if the process died from that signal.

usage: kill_during_save.py BINARY CHECKPOINT_DIR -- ARGS...
"""
import glob
import os
import signal
import subprocess
import sys
import time

binary, folder = sys.argv[1], sys.argv[2]
args = sys.argv[sys.argv.index("--") + 1:]
env = dict(os.environ, NNC_TEST_PAUSE_IN_SAVE="60")
proc = subprocess.Popen([binary] + args, env=env, stdout=subprocess.DEVNULL)
deadline = time.time() + 120
while time.time() < deadline and proc.poll() is None:
    if glob.glob(os.path.join(folder, "last.nnck.tmp-*")):
        time.sleep(0.2)  # well inside the 60 s pause: half the file is written
        proc.send_signal(signal.SIGKILL)
        break
    time.sleep(0.01)
code = proc.wait()
print("exit status", code)
sys.exit(0 if code == -signal.SIGKILL else 1)
