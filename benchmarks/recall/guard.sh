#!/bin/bash
# guard.sh BASE_REV [DIR...]: scan tests/clean, tests/scripts, tests/projects, examples and the given
# corpus folders with fitlint as of BASE_REV and with the working tree, and print every finding that
# differs (path, notebook cell, line, code). Run from the repository root; needs the checkout's venv.
set -e
base=${1:?usage: guard.sh BASE_REV [DIR...]}; shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for side in base cur; do mkdir -p "$work/$side"; done
git archive "$base" lint rules | tar -x -C "$work/base"
cp -r lint rules "$work/cur"
for side in base cur; do mv "$work/$side/lint" "$work/$side/fitlint" && mv "$work/$side/rules" "$work/$side/fitlint/rules"; done
targets=()
for target in tests/clean tests/scripts tests/projects examples "$@"; do
  case "$target" in /*) targets+=("$target") ;; *) targets+=("$PWD/$target") ;; esac
done
python=${PYTHON:-$PWD/.venv/bin/python}
for side in base cur; do
  (cd "$work" && PYTHONPATH="$work/$side" "$python" -m fitlint scan --no-cache --select ALL --format json \
     "${targets[@]}" 2>/dev/null || true) | "$python" -c '
import json, sys
for f in json.load(sys.stdin):
    print(f["path"], f.get("cell") or "", f["line"], f["code"], sep="\t")' | sort > "$work/$side.tsv"
done
diff "$work/base.tsv" "$work/cur.tsv" | grep '^[<>]' || true
echo "findings: base $(wc -l < "$work/base.tsv"), working tree $(wc -l < "$work/cur.tsv")"
