#!/usr/bin/env bash
# CI: run the atlas on a real SLURM cluster. On a clean Debian machine, as root: install
# slurm-wlm (slurmctld, slurmd, munge), start a one-node cluster on localhost, submit a 4-task
# job array of an N = 4 sample, kill task 2 with SIGKILL part-way (once its rows file holds a
# row) and requeue it (`scontrol requeue`: the restarted task continues from its rows file),
# merge the four shards, and compare the merged file with the unsharded run byte for byte.
# Idempotent: daemons this script started are stopped at the end (by PID), configuration is
# rewritten each time. Fails loudly: any step that fails stops the script with a message and a
# non-zero exit.
#
# Usage: bash .ci/slurm/ci.sh [BINARY] [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="$(realpath "${1:-target/release/items-or-relations}")"
WORK="$(realpath -m "${2:-target/ci-slurm}")"
# The paper's training (8 seeds, 5000 steps) on 120 classes: about 2 s of one core per task,
# long enough to kill a task part-way.
ARGS="--sample 120 --seeds 8 --steps 5000"

fail() { echo "slurm CI: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "must run as root (it installs packages and starts daemons)"
[ -x "$BIN" ] || fail "no binary at $BIN (build with cargo build --release first)"

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    echo "== installing slurm-wlm and munge"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || fail "apt-get update failed"
    apt-get install -y -qq slurm-wlm munge >/dev/null || fail "apt-get install slurm-wlm munge failed"
fi

HOST="$(hostname -s)"
CPUS="$(nproc)"
CONF=/etc/slurm/slurm.conf
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/munge
cat > "$CONF" <<CONF
ClusterName=local
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
# A requeued job waits this long before it starts again (default 120 s).
AuthInfo=cred_expire=10
MpiDefault=none
NodeName=$HOST CPUs=$CPUS State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF

# munge needs a key owned by munge; the package creates one, a clean container may not have it.
if [ ! -s /etc/munge/munge.key ]; then
    mkdir -p /etc/munge
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
fi
chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge 2>/dev/null || true
chmod 0700 /etc/munge
chmod 0400 /etc/munge/munge.key

STARTED=()
stop_started() {
    # Newest first (slurmd, slurmctld, munged), each given up to 10 s to exit.
    for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do
        pid="${STARTED[$i]}"
        kill "$pid" 2>/dev/null || continue
        for _ in $(seq 1 20); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.5
        done
    done
}
trap stop_started EXIT

# Start each daemon unless one is already running (its pid file names a live process).
running() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
if ! running /run/munge/munged.pid; then
    su -s /bin/sh munge -c "/usr/sbin/munged --pid-file=/run/munge/munged.pid" \
        || fail "munged did not start"
    STARTED+=("$(cat /run/munge/munged.pid)")
fi
munge -n | unmunge >/dev/null || fail "munge does not authenticate"
if ! running /run/slurmctld.pid; then
    slurmctld || fail "slurmctld did not start (see /var/log/slurm/slurmctld.log)"
    sleep 1
    STARTED+=("$(cat /run/slurmctld.pid)")
fi
if ! running /run/slurmd.pid; then
    slurmd || fail "slurmd did not start (see /var/log/slurm/slurmd.log)"
    sleep 1
    STARTED+=("$(cat /run/slurmd.pid)")
fi
for _ in $(seq 1 30); do
    if sinfo -h -o '%t' 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then break; fi
    sleep 1
done
sinfo -h -o '%t' | grep -qE '^(idle|mix|alloc)' || fail "the node did not come up: $(sinfo 2>&1)"
echo "== cluster up: $(sinfo -h -o '%P %a %D %t')"

rm -rf "$WORK"
mkdir -p "$WORK/parts"
echo "== submitting a 4-task array: atlas --n 4 $ARGS"
JOB="$(sbatch --parsable --array=1-4 --cpus-per-task=1 --chdir="$WORK" \
    --output="$WORK/atlas-%A_%a.out" \
    --export=ALL,ATLAS_N=4,ATLAS_DIR="$WORK/parts",ATLAS_BIN="$BIN",ATLAS_ARGS="$ARGS" \
    .ci/slurm/atlas-array.sbatch)" || fail "sbatch failed"
JOB="${JOB%%;*}"

# Task 2: SIGKILL part-way, once its rows file holds a row (as the kernel's OOM killer or a lost
# node would stop it: no signal handler runs), then requeued; the restarted task must continue
# from the rows it kept. (`scancel --signal=KILL` would cancel the job instead, which sends
# SIGTERM first.) The task's process is found by `scontrol listpids` and its executable.
PART2="$WORK/parts/part-2.jsonl"
killed=
for _ in $(seq 1 2400); do
    [ -e "$PART2" ] && fail "task 2 finished before it could be killed (give it more work: ARGS)"
    if [ -s "$PART2.partial" ] && [ "$(wc -l < "$PART2.partial")" -ge 2 ]; then
        task2="$(squeue -h -j "${JOB}_2" -o %A)" || fail "squeue does not know task ${JOB}_2"
        for pid in $(scontrol listpids "$task2" | awk 'NR > 1 && $1 ~ /^[0-9]+$/ { print $1 }'); do
            if [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$BIN" ]; then
                kill -KILL "$pid" && killed=yes
            fi
        done
        break
    fi
    sleep 0.05
done
[ -n "$killed" ] || fail "task 2's process was not found and killed"
# Wait until task 2 has ended (killed), then requeue it.
for _ in $(seq 1 120); do
    squeue -h -j "${JOB}_2" -t PD,R,CG,CF 2>/dev/null | grep -q . || break
    sleep 1
done
kept="$(($(wc -l < "$PART2.partial") - 1))"
[ ! -e "$PART2" ] || fail "task 2 finished although it was killed"
echo "== task 2 killed with SIGKILL, $kept rows kept in part-2.jsonl.partial; requeued"
scontrol requeue "${JOB}_2" || fail "scontrol requeue ${JOB}_2 failed"
# A requeued job waits for its old credential to expire (AuthInfo cred_expire, above).
for _ in $(seq 1 600); do
    squeue -h -j "$JOB" 2>/dev/null | grep -q . || break
    sleep 1
done
squeue -h -j "$JOB" 2>/dev/null | grep -q . && fail "the job array did not finish in 10 minutes"
ls "$WORK"/parts/part-{1,2,3,4}.jsonl >/dev/null || {
    cat "$WORK"/atlas-*.out >&2 || true
    fail "a shard file is missing"
}
grep -q "resuming from .*part-2.jsonl.partial: $kept of" "$WORK/atlas-${JOB}_2.out" \
    || { cat "$WORK/atlas-${JOB}_2.out" >&2; fail "the requeued task 2 did not continue from its $kept rows"; }
echo "== the requeued task 2 continued from its $kept rows: $(grep -c '^task 2/4, attempt' "$WORK/atlas-${JOB}_2.out") attempts in its log"

echo "== merging and comparing with the unsharded run"
"$BIN" atlas merge "$WORK"/parts/part-*.jsonl --out "$WORK/merged.jsonl" --csv "$WORK/merged.csv"
# shellcheck disable=SC2086 # ARGS is a list of arguments
"$BIN" atlas --n 4 $ARGS --out "$WORK/whole.jsonl"
cmp "$WORK/merged.jsonl" "$WORK/whole.jsonl" || fail "merged shards differ from the unsharded run"
echo "== slurm CI: 4 shards (one killed with SIGKILL and requeued) merged = unsharded ($(($(wc -l < "$WORK/whole.jsonl") - 1)) classes)"

echo "== the merged atlas fed back into the book (--atlas-data)"
rm -rf "$WORK/book"
"$BIN" --quick --chapter atlas --atlas-data "$WORK/merged.jsonl" --out "$WORK/book" >/dev/null \
    || fail "the book build with --atlas-data failed"
grep -q 'read from <code>merged.jsonl</code>' "$WORK/book/book/atlas.html" \
    || fail "the atlas page does not say it read merged.jsonl"
echo "== slurm CI: the book's N = 4 section read from the merged file"
