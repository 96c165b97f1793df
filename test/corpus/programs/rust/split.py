"""Splits the service's stderr (@@BEGIN label / panic text / @@END) into JSON events.
usage: split.py <deploy> < stderr"""
import json
import re
import sys

deploy = int(sys.argv[1])
label, buf = None, []
for line in sys.stdin.read().split("\n"):
    if line.startswith("@@BEGIN "):
        label, buf = line[8:], []
    elif line.startswith("@@END") and label:
        text = "\n".join(buf)
        m = re.search(r"^thread '[^']*'(?: \(\d+\))? panicked at [^\n]*:\n(.*?)\n(?:stack backtrace:|note:)", text, re.S | re.M)
        print(json.dumps({"runtime": "rust", "label": "rust/" + label, "deploy": deploy,
                          "error_type": "panic", "error_message": m.group(1) if m else "",
                          "error_stack": text + "\n"}, ensure_ascii=False))
        label = None
    elif label is not None:
        buf.append(line)
