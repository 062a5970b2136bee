#!/usr/bin/env bash
# Rebuilds what the Python twins print under real Tornado.
#
#   bash tests/tornado/rebuild.sh           rewrite tests/tornado/expected/
#   bash tests/tornado/rebuild.sh --check   rebuild into a temporary directory and
#                                           diff it against the committed files
#
# Every twin tests/tornado/ch*.py runs under Tornado 4.5.3 (the version the course
# models) and its standard output becomes expected/4.5.3/<twin>.txt: the lines the
# conformance test (tests/conformance.rs) compares with the Rust recordings.
#
# A twin also runs under Tornado 6.6.1 (or 3.2.2) when expected/<version>/<twin>.txt already
# exists: the files present choose that set. Those outputs are never compared with
# Rust; the book shows them to say how 6.x orders the same program. To add one,
# `touch tests/tornado/expected/6.6.1/<twin>.txt` and run this script.
#
# The virtualenvs live in ${TORNADO_VENVS:-~/.cache/tornado-venvs}/t<version> and
# are made (python3 -m venv, pip install tornado==<version>) only when missing.
# Set PYTHON to choose the interpreter that makes them (default: python3).
#
# A twin that exits non-zero or runs longer than ${TWIN_TIMEOUT:-60} seconds stops
# the script with its standard error shown. Quiet otherwise: one summary line.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
expected="$here/expected"
venvs="${TORNADO_VENVS:-$HOME/.cache/tornado-venvs}"
python="${PYTHON:-python3}"
timeout_s="${TWIN_TIMEOUT:-60}"
versions=(4.5.3 3.2.2 6.6.1)

mode=write
case "${1:-}" in
    "") ;;
    --check) mode=check ;;
    -h | --help)
        sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "rebuild.sh: unknown argument '$1' (try --help)" >&2
        exit 2
        ;;
esac

die() {
    echo "rebuild.sh: $*" >&2
    exit 1
}

# The interpreter of the virtualenv for one Tornado version, made if missing.
venv_python() {
    local version="$1" dir="$venvs/t$1"
    local py="$dir/bin/python"
    if [[ -x "$py" ]] && "$py" -c "import tornado, sys; sys.exit(tornado.version != '$version')" 2>/dev/null; then
        echo "$py"
        return
    fi
    echo "rebuild.sh: installing tornado==$version into $dir" >&2
    mkdir -p "$venvs"
    [[ -x "$py" ]] || "$python" -m venv "$dir" >&2 || die "could not make a virtualenv in $dir"
    "$dir/bin/pip" install --quiet --disable-pip-version-check "tornado==$version" >&2 ||
        die "could not install tornado==$version into $dir"
    echo "$py"
}

# Twins are found by name; nullglob so that "no twins yet" is an empty list.
shopt -s nullglob
twins=()
for file in "$here"/ch*.py; do
    name="$(basename "$file" .py)"
    twins+=("$name")
done

# Where the rebuilt files go: expected/ itself, or a temporary copy to diff.
if [[ "$mode" == check ]]; then
    out="$(mktemp -d)"
else
    out="$expected"
fi

if command -v timeout >/dev/null; then
    with_timeout=(timeout "$timeout_s")
else
    with_timeout=()
fi

stderr_file="$(mktemp)"
trap 'rm -f "$stderr_file"; [[ "$mode" == check ]] && rm -rf "$out"' EXIT

runs=0
for version in "${versions[@]}"; do
    # 4.5.3 runs every twin; any other version only those it already has a file for.
    chosen=()
    for name in "${twins[@]}"; do
        if [[ "$version" == 4.5.3 || -f "$expected/$version/$name.txt" ]]; then
            chosen+=("$name")
        fi
    done
    [[ ${#chosen[@]} -gt 0 ]] || continue
    mkdir -p "$out/$version"
    py="$(venv_python "$version")"
    for name in "${chosen[@]}"; do
        # Run from the twin's directory, with the shim (which restores what
        # 4.5.3 needs on Python 3.11) and twin.py importable; fixed hashing
        # and no __pycache__ in the repository.
        status=0
        (cd "$here" && PYTHONPATH="$here/shim:$here" PYTHONHASHSEED=0 \
            PYTHONDONTWRITEBYTECODE=1 PYTHONIOENCODING=utf-8 \
            "${with_timeout[@]}" "$py" "$here/$name.py" \
            >"$out/$version/$name.txt.part" 2>"$stderr_file") || status=$?
        if [[ $status -ne 0 ]]; then
            [[ $status -eq 124 ]] && echo "rebuild.sh: $name.py timed out after ${timeout_s}s" >&2
            echo "rebuild.sh: $name.py failed under Tornado $version (exit $status)." >&2
            echo "  It printed:" >&2
            sed 's/^/    /' "$out/$version/$name.txt.part" >&2
            echo "  Its standard error:" >&2
            sed 's/^/    /' "$stderr_file" >&2
            rm -f "$out/$version/$name.txt.part"
            exit 1
        fi
        mv "$out/$version/$name.txt.part" "$out/$version/$name.txt"
        runs=$((runs + 1))
    done
done

if [[ "$mode" == write ]]; then
    # An output whose twin is gone would only confuse: remove it.
    for file in "$expected"/*/*.txt; do
        if [[ ! -f "$here/$(basename "$file" .txt).py" ]]; then
            rm -f "$file"
            echo "rebuild.sh: removed ${file#"$here/"}: its twin is gone" >&2
        fi
    done
    echo "rebuild.sh: ${#twins[@]} twins, $runs runs, written to ${expected#"$here/"}/"
    exit 0
fi

# Compare everything, both ways: a changed output, a twin without its file, a
# file without its twin. -N: an empty directory and no directory are the same
# (git keeps no empty directories).
orphans=0
for file in "$expected"/*/*.txt; do
    if [[ ! -f "$here/$(basename "$file" .txt).py" ]]; then
        echo "rebuild.sh --check: ${file#"$here/"} has no twin $(basename "$file" .txt).py" >&2
        orphans=$((orphans + 1))
    fi
done
if diff -ruN "$expected" "$out" >"$stderr_file" && [[ $orphans -eq 0 ]]; then
    echo "rebuild.sh --check: ${#twins[@]} twins, $runs runs, all match expected/"
else
    # Name the committed paths in the diff, not the temporary ones, and drop
    # the timestamps.
    sed -E "s|$out|rebuilt|g; s|$expected|tests/tornado/expected|g; /^(---|\+\+\+) /s/\t.*//" "$stderr_file"
    echo "rebuild.sh --check: what real Tornado prints differs from tests/tornado/expected/;" \
        "run bash tests/tornado/rebuild.sh and review the change" >&2
    exit 1
fi
