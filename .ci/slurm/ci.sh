#!/usr/bin/env bash
# CI: run the atlas on a real SLURM cluster. On a clean Debian machine, as root: install
# slurm-wlm (slurmctld, slurmd, munge), start a one-node cluster on localhost, submit a 4-task
# job array of an N = 4 sample with `sbatch --wait`, merge the four shards, and compare the
# merged file with the unsharded run byte for byte. Idempotent: daemons this script started
# are stopped at the end (by PID), configuration is rewritten each time. Fails loudly: any
# step that fails stops the script with a message and a non-zero exit.
#
# Usage: bash .ci/slurm/ci.sh [BINARY] [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="$(realpath "${1:-target/release/items-or-relations}")"
WORK="$(realpath -m "${2:-target/ci-slurm}")"
ARGS="--sample 40 --seeds 2 --steps 200"

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
sbatch --wait --array=1-4 --cpus-per-task=1 --chdir="$WORK" \
    --output="$WORK/atlas-%A_%a.out" \
    --export=ALL,ATLAS_N=4,ATLAS_DIR="$WORK/parts",ATLAS_BIN="$BIN",ATLAS_ARGS="$ARGS" \
    .ci/slurm/atlas-array.sbatch || { cat "$WORK"/atlas-*.out >&2 || true; fail "the job array failed"; }
ls "$WORK"/parts/part-{1,2,3,4}.jsonl >/dev/null || fail "a shard file is missing"

echo "== merging and comparing with the unsharded run"
"$BIN" atlas merge "$WORK"/parts/part-*.jsonl --out "$WORK/merged.jsonl" --csv "$WORK/merged.csv"
# shellcheck disable=SC2086 # ARGS is a list of arguments
"$BIN" atlas --n 4 $ARGS --out "$WORK/whole.jsonl"
cmp "$WORK/merged.jsonl" "$WORK/whole.jsonl" || fail "merged shards differ from the unsharded run"
echo "== slurm CI: 4 shards merged = unsharded ($(($(wc -l < "$WORK/whole.jsonl") - 1)) classes)"

echo "== the merged atlas fed back into the book (--atlas-data)"
rm -rf "$WORK/book"
"$BIN" --quick --chapter atlas --atlas-data "$WORK/merged.jsonl" --out "$WORK/book" >/dev/null \
    || fail "the book build with --atlas-data failed"
grep -q 'read from <code>merged.jsonl</code>' "$WORK/book/book/atlas.html" \
    || fail "the atlas page does not say it read merged.jsonl"
echo "== slurm CI: the book's N = 4 section read from the merged file"
