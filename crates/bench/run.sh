#!/usr/bin/env bash
# The course's IOLoop beside Tornado 4.5.3 and the floor, in the same run.
#
#   crates/bench/run.sh              # 5 rounds, about 2 minutes on 2 cores
#   ROUNDS=3 crates/bench/run.sh     # fewer
#   OFF_REPEAT=9 ...                 # more runs of the recording-off pair per round
#   CALLGRIND=1 ...                  # also instructions per op (valgrind), S1 S2 S3 S6
#
# Builds (--release) our programs (crates/bench), the same S1 programs with the
# recorder compiled out (RUSTFLAGS="--cfg course_no_trace", a target dir of its
# own), and the floor programs (crates/bench/floor); then runs every
# scenario ROUNDS times, round-interleaved: within a round the implementations
# of one scenario run back to back, one program at a time, so a ratio compares
# neighbouring runs. Each program times only its own work and prints one line
#   SCENARIO N=<n> total_s=<s> per_op_ns=<ns> [extra fields]
# which is tagged "<round> <impl>" into a raw file; bench_table prints the
# table from it (medians, and ratios taken per round, then the median).
#
# Everything it runs is in this directory: our programs (src/bin), the floor
# (floor/, hand-written loops on `polling`), Tornado's programs (py/) and
# tokio's current_thread runtime on S1, S2, S3 and S6 (tokio/, a workspace of
# its own that the root workspace excludes, so only this script builds it;
# NO_TOKIO=1 skips it).
# Tornado 4.5.3: $T4_PYTHON, else $ORACLE/t4.5.3/bin/python (ORACLE defaults
# to ~/.cache/tornado-venvs), else a virtualenv made there with pip.
#
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

ROUNDS="${ROUNDS:-5}"
ORACLE="${ORACLE:-$HOME/.cache/tornado-venvs}"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
NOTRACE_TARGET="${NOTRACE_TARGET_DIR:-$TARGET/course-no-trace}"
RESULTS="${RESULTS:-$HOME/.cache/course-bench-results}"
# The recorder's cost is a few percent, below the noise of one ~70 ms run:
# S1 and S1' run this many times per round, both builds alternately.
OFF_REPEAT="${OFF_REPEAT:-5}"

OURS="$TARGET/release"
OURS_NOTRACE="$NOTRACE_TARGET/release"
LIMIT="$TARGET/release"
TOKIO_TARGET="${TOKIO_TARGET_DIR:-$TARGET/course-bench-tokio}"
PEER="$TOKIO_TARGET/release"
NO_TOKIO="${NO_TOKIO:-}"

tornado_python() { # version, override -> path of a python with that tornado
    local version=$1 override=$2
    if [[ -n $override ]]; then echo "$override"; return; fi
    if [[ -x $ORACLE/t$version/bin/python ]]; then echo "$ORACLE/t$version/bin/python"; return; fi
    python3 -m venv "$ORACLE/t$version" >&2
    "$ORACLE/t$version/bin/pip" install --quiet "tornado==$version" >&2
    echo "$ORACLE/t$version/bin/python"
}
T4=$(tornado_python 4.5.3 "${T4_PYTHON:-}")

echo "--- building (release): ours, ours without the recorder, the floor" >&2
(cd "$ROOT" && CARGO_TARGET_DIR="$TARGET" cargo build --release --quiet -p course-bench)
(cd "$ROOT" && CARGO_TARGET_DIR="$NOTRACE_TARGET" RUSTFLAGS="--cfg course_no_trace" \
    cargo build --release --quiet -p course-bench --bin course_s1_callbacks)
(cd "$ROOT" && CARGO_TARGET_DIR="$TARGET" cargo build --release --quiet -p course-bench-floor)
if [[ -z $NO_TOKIO ]]; then
    echo "--- building (release): the tokio peer" >&2
    (cd "$HERE/tokio" && CARGO_TARGET_DIR="$TOKIO_TARGET" cargo build --release --quiet --locked)
fi

mkdir -p "$RESULTS"
RAW="$RESULTS/raw-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
    echo "# date: $(date -u +%FT%TZ)  rounds: $ROUNDS"
    echo "# machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), kernel $(uname -r)"
    echo "# load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "# $("$T4" -c 'import sys, tornado; print("python", sys.version.split()[0], "tornado", tornado.version)')"
    echo "# $(rustc --version); course at $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
} > "$RAW"

round=0
run() { # impl program [args...]: runs one program, tags its line
    local impl=$1; shift
    local line
    line=$("$@")
    echo "$round $impl $line" | tee -a "$RAW"
}

ours() { # impl dir program [arg]: ours if built, else nothing (pending)
    local impl=$1 dir=$2 program=$3; shift 3
    if [[ -x $dir/$program ]]; then run "$impl" "$dir/$program" "$@"; fi
}

peer() { # program [arg]: tokio's, unless NO_TOKIO
    local program=$1; shift
    if [[ -z $NO_TOKIO ]]; then run tokio "$PEER/$program" "$@"; fi
}

cd "$HERE"
for round in $(seq "$ROUNDS"); do
    echo "--- round $round/$ROUNDS" >&2
    run t4.5.3          "$T4" py/s1_callbacks.py
    run limit           "$LIMIT/limit_s1_callbacks"
    peer                tokio_s1_callbacks
    for _ in $(seq "$OFF_REPEAT"); do
        ours course         "$OURS" course_s1_callbacks
        ours course-notrace "$OURS_NOTRACE" course_s1_callbacks
    done

    run t4.5.3          "$T4" py/s1_callbacks.py inloop
    run limit           "$LIMIT/limit_s1_callbacks" inloop
    peer                tokio_s1_callbacks inloop
    for _ in $(seq "$OFF_REPEAT"); do
        ours course         "$OURS" course_s1_callbacks inloop
        ours course-notrace "$OURS_NOTRACE" course_s1_callbacks inloop
    done

    run t4.5.3          "$T4" py/s2_chain.py
    run limit           "$LIMIT/limit_s2_chain"
    ours course         "$OURS" course_s2_chain             # chapter 05
    peer                tokio_s2_chain

    run t4.5.3          "$T4" py/s3_fanout.py
    run limit           "$LIMIT/limit_s3_fanout"
    ours course         "$OURS" course_s3_fanout            # chapter 05
    peer                tokio_s3_fanout

    run t4.5.3          "$T4" py/s4_timers.py
    run limit           "$LIMIT/limit_s4_timers"
    ours course         "$OURS" course_s4_timers

    run t4.5.3          "$T4" py/s5_pingpong.py
    run limit           "$LIMIT/limit_s5_pingpong"
    ours course         "$OURS" course_s5_pingpong

    run t4.5.3          "$T4" py/s6_task.py
    run limit           "$LIMIT/limit_s6_task"
    ours course         "$OURS" course_s6_task
    peer                tokio_s6_task

    run t4.5.3          "$T4" py/poll_turn.py
    run limit           "$LIMIT/limit_poll_turn"
    ours course         "$OURS" course_poll_turn

    ours course         "$OURS" course_iter_turn
    ours course         "$OURS" course_iter_turn handler
done

SUMMARY="${RAW%.txt}.summary.md"
"$OURS/bench_table" "$RAW" | tee "$SUMMARY"

# Instructions per op: the whole program's instructions (callgrind) over its
# N. Unlike a time, this does not depend on the machine's load; it counts
# the set-up too (S3: making the 10,000 coroutines).
instructions_per_op() { # program [arg]: prints Ir / N, or — if it did not run
    local out ir n
    out=$(mktemp)
    if valgrind --tool=callgrind --callgrind-out-file="$out.cg" "$@" > "$out" 2>/dev/null; then
        n=$(grep -o 'N=[0-9]*' "$out" | head -1 | cut -d= -f2)
        ir=$(sed -n 's/^summary: *//p' "$out.cg")
        echo $((ir / n))
    else
        echo "—"
    fi
    rm -f "$out" "$out.cg"
}
if [[ -n ${CALLGRIND:-} ]]; then
    {
        echo
        echo "Instructions per op (callgrind, whole program ÷ N):"
        echo
        echo "| scenario | ours | floor (limit) | tokio current_thread |"
        echo "|---|---:|---:|---:|"
        for s in s1_callbacks s2_chain s3_fanout s6_task; do
            name=${s%%_*}
            ours=$(instructions_per_op "$OURS/course_$s")
            floor=$(instructions_per_op "$LIMIT/limit_$s")
            tokio="—"
            if [[ -z $NO_TOKIO ]]; then tokio=$(instructions_per_op "$PEER/tokio_$s"); fi
            echo "| ${name^^} | $ours | $floor | $tokio |"
        done
    } | tee -a "$SUMMARY"
fi
echo "raw lines: $RAW   summary: $SUMMARY" >&2
