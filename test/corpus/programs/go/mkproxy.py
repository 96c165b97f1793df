"""Builds a file:// GOPROXY directory holding one module version, so `go build` puts it into
GOMODCACHE (…/pkg/mod/<module>@<version>/) exactly like a real dependency download.
usage: mkproxy.py <module-path> <version> <source-dir> <proxy-dir>"""
import json
import os
import sys
import zipfile

mod, ver, src, out = sys.argv[1:5]
d = os.path.join(out, mod, "@v")
os.makedirs(d, exist_ok=True)
with open(os.path.join(d, "list"), "a") as f:
    f.write(ver + "\n")
with open(os.path.join(d, ver + ".info"), "w") as f:
    json.dump({"Version": ver, "Time": "2024-01-02T03:04:05Z"}, f)
with open(os.path.join(src, "go.mod")) as f:
    gomod = f.read()
with open(os.path.join(d, ver + ".mod"), "w") as f:
    f.write(gomod)
with zipfile.ZipFile(os.path.join(d, ver + ".zip"), "w") as z:
    for root, _, files in os.walk(src):
        for fn in sorted(files):
            p = os.path.join(root, fn)
            rel = os.path.relpath(p, src)
            z.write(p, f"{mod}@{ver}/{rel}")
