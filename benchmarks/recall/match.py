#!/usr/bin/env python3
"""match.py CORPUS_DIR SCAN_JSON [--all]
LABELS.tsv in CORPUS_DIR: file<TAB>line<TAB>code<TAB>conf<TAB>reason  (file relative to CORPUS_DIR/real;
line an int, or C:L for notebooks: cell C (1-based, as fitlint prints), line L inside it; conf sure|unsure).
A label is found by a finding of the same file and code whose line is within 2 of it, or whose span
(line..end_line, at most 10 lines) holds it. Prints recall on sure labels, the misses, and the findings
that matched no label (read them: precision)."""
import csv, json, os, sys

def load_findings(path, root):
    data = json.load(open(path))
    if isinstance(data, dict):
        data = data.get("findings", [])
    out = []
    for f in data:
        p = os.path.relpath(os.path.abspath(f["path"]), root) if os.path.isabs(f["path"]) or os.path.exists(f["path"]) else f["path"]
        if p.startswith("real/"):
            p = p[5:]
        out.append(dict(f, rel=p))
    return out

def parse_line(s):
    s = s.strip()
    if ":" in s:
        c, l = s.split(":", 1)
        return int(c), int(l)
    return None, int(s)

def hit(label, f):
    cell, line = label["cell"], label["line"]
    if f["rel"] != label["file"] or f["code"] != label["code"]:
        return False
    if (f.get("cell") or None) != cell:
        return False
    if abs(f["line"] - line) <= 2:
        return True
    return f["end_line"] - f["line"] <= 10 and f["line"] <= line <= f["end_line"]

def main():
    corpus, scan = sys.argv[1], sys.argv[2]
    root = os.path.join(os.path.abspath(corpus), "real")
    labels = []
    for row in csv.reader(open(os.path.join(corpus, "LABELS.tsv")), delimiter="\t"):
        if not row or row[0].startswith("#") or row[0] == "file":
            continue
        cell, line = parse_line(row[1])
        labels.append(dict(file=row[0].strip(), cell=cell, line=line, code=row[2].strip(), conf=row[3].strip(), reason=row[4] if len(row) > 4 else ""))
    findings = load_findings(scan, root)
    sure = [l for l in labels if l["conf"] == "sure"]
    found = [l for l in sure if any(hit(l, f) for f in findings)]
    print(f"recall(sure) {len(found)}/{len(sure)}")
    for l in sure:
        if l not in found:
            print("MISS", l["file"], (f'{l["cell"]}:' if l["cell"] else "") + str(l["line"]), l["code"], l["reason"][:100])
    for l in labels:
        if l["conf"] != "sure":
            print("unsure", "found" if any(hit(l, f) for f in findings) else "missed", l["file"], l["line"], l["code"])
    for f in findings:
        if not any(hit(l, f) for l in labels):
            print("UNLABELLED", f["rel"], (f'{f["cell"]}:' if f.get("cell") else "") + str(f["line"]), f["code"], f["severity"], f["message"][:90])

main()
