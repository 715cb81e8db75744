"""File operations in the directory given as the first argument, printing what each one left
behind, with paths relative to that directory so that the output is the same wherever it runs.
SandboxProgramsTest runs it with python3 inside and outside the sandbox and compares."""
import json
import os
import sys
import tempfile

root = sys.argv[1]
os.chdir(root)

record = {"name": "posix4j", "numbers": [1, 2, 3], "nested": {"ok": True, "none": None}}
with open("record.json", "w") as f:
    json.dump(record, f, sort_keys=True)
with open("record.json") as f:
    print("json round trip:", json.load(f) == record)

os.mkdir("sub")
os.mkdir(os.path.join("sub", "deeper"))
with open(os.path.join("sub", "a.txt"), "w") as f:
    f.write("alpha\n")
print("listdir:", sorted(os.listdir(".")), sorted(os.listdir("sub")))

os.rename(os.path.join("sub", "a.txt"), "b.txt")
with open("b.txt") as f:
    print("renamed:", f.read().strip(), os.path.exists(os.path.join("sub", "a.txt")))

os.rmdir(os.path.join("sub", "deeper"))
os.rmdir("sub")
print("after rmdir:", sorted(os.listdir(".")))

print("tempdir is TMPDIR:", tempfile.gettempdir() == os.path.realpath(os.environ["TMPDIR"]))
with tempfile.NamedTemporaryFile("w+", prefix="t-", delete=False) as t:
    t.write("temporary\n")
    name = t.name
with open(name) as f:
    print("temporary file:", os.path.dirname(name) == tempfile.gettempdir(), f.read().strip())
with tempfile.TemporaryDirectory(prefix="d-") as d:
    print("temporary directory:", os.path.isdir(d), os.listdir(d))
print("temporary directory removed:", os.path.exists(d))

os.unlink(name)
os.unlink("b.txt")
os.unlink("record.json")
print("at the end:", os.listdir("."))
st = os.stat(".")
print("stat:", oct(st.st_mode & 0o170000))
