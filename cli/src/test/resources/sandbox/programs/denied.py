"""Tries to read, stat and list the paths given as arguments and prints what happened: the first
line, or the exception's class and errno. SandboxProgramsTest runs it on a path outside every
allowance of the sandbox, where open must fail with PermissionError, errno 13 (EACCES)."""
import os
import sys

for path in sys.argv[1:]:
    try:
        with open(path) as f:
            print("open", path, "->", f.readline().strip())
    except OSError as e:
        print("open", path, "->", type(e).__name__, e.errno, e.strerror)
    try:
        print("stat", path, "-> size", os.stat(path).st_size)
    except OSError as e:
        print("stat", path, "->", type(e).__name__, e.errno, e.strerror)
    try:
        print("listdir", os.path.dirname(path), "->", sorted(os.listdir(os.path.dirname(path))))
    except OSError as e:
        print("listdir", os.path.dirname(path), "->", type(e).__name__, e.errno, e.strerror)
