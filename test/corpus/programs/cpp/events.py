"""Turns one crash run (gdb bt / ASan report / stderr) into a JSON event line.
usage: events.py <kind> <label> <deploy> <stdout_file> <stderr_file>"""
import json
import re
import sys

kind, label, deploy, out_f, err_f = sys.argv[1:6]
out = open(out_f, errors="replace").read()
err = open(err_f, errors="replace").read()
if kind == "gdb":
    stack = "\n".join(l for l in out.splitlines() if re.match(r"^#\d+ ", l)) + "\n"
    m = re.search(r"Program received signal (\w+), (.*)", out)
    sig, desc = (m.group(1), m.group(2)) if m else ("UNKNOWN", "")
    et, em = sig, desc.rstrip(".")
    t = re.search(r"terminate called after throwing an instance of '([^']+)'\n\s*what\(\):\s+(.*)", err + out)
    a = re.search(r"^.*Assertion .* failed\.$", err + out, re.M)
    if t:
        et, em = t.group(1), t.group(2)
    elif a:
        em = a.group(0)
else:  # asan
    i = err.find("==ERROR: AddressSanitizer")
    stack = err[err.rfind("\n", 0, i) + 1:] if i >= 0 else err
    m = re.search(r"ERROR: AddressSanitizer: ([\w-]+) (.*)", stack)
    et, em = m.group(1), "AddressSanitizer: " + m.group(1) + " " + m.group(2)
print(json.dumps({"runtime": "cpp", "label": "cpp/" + label, "deploy": int(deploy),
                  "error_type": et, "error_message": em, "error_stack": stack}))
