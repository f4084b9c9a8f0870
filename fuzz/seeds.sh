#!/bin/sh
# Writes the seed corpora fuzz/corpus/{patterns,atlas_rows} from real inputs: pattern lists as
# the CLI takes them, and tiny atlas files written by the release binary (shards, a merged
# file, a sample, a truncated shard, several files in one input separated by the line
# "--8<--", which the atlas_rows target splits at).
# Usage: fuzz/seeds.sh [path/to/items-or-relations]   (default: ../target/release/...)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../target/release/items-or-relations}
p=$here/corpus/patterns
a=$here/corpus/atlas_rows
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$p" "$a"

i=0
for s in '101, 110' '010,001' '1' '0000000000,1111111111' ' 011 , 101,110 ' '101,,110' \
         '10a' '11111111111' '101,101' '01,101' '' '{101, 110}'; do
    i=$((i + 1))
    printf '%s' "$s" > "$p/seed$i"
done
printf '"101"' > "$p/json1"
printf '["101","110"]' > "$p/json2"

# The settings of the smallest runs: one seed, a few steps (the numbers do not matter here).
run() { "$bin" atlas --seeds 1 --steps 20 "$@" >/dev/null 2>&1; }
run --n 1 --out "$tmp/n1.jsonl"
run --n 2 --out "$tmp/n2.jsonl"
run --n 2 --shard 1/2 --out "$tmp/n2s1.jsonl"
run --n 2 --shard 2/2 --out "$tmp/n2s2.jsonl"
run --n 3 --sample 2 --out "$tmp/n3k2.jsonl"
run --n 3 --shard 7/30 --out "$tmp/n3s7.jsonl"
sep() { printf -- '--8<--\n'; }

cp "$tmp/n1.jsonl" "$a/n1"
cp "$tmp/n2s1.jsonl" "$a/n2-shard1of2"
cp "$tmp/n3k2.jsonl" "$a/n3-sample2"
cp "$tmp/n3s7.jsonl" "$a/n3-shard7of30"
head -n 2 "$tmp/n2s1.jsonl" > "$a/n2-shard1of2-truncated"
head -n 1 "$tmp/n2s1.jsonl" > "$a/header-only"
{ cat "$tmp/n2s1.jsonl"; sep; cat "$tmp/n2s2.jsonl"; } > "$a/n2-two-shards"
{ cat "$tmp/n2s2.jsonl"; sep; cat "$tmp/n2s1.jsonl"; sep; cat "$tmp/n2s1.jsonl"; } > "$a/n2-shard-twice"
{ cat "$tmp/n1.jsonl"; sep; cat "$tmp/n3k2.jsonl"; } > "$a/n1-and-n3-sample"
{ cat "$tmp/n1.jsonl"; sep; cat "$tmp/n1.jsonl"; } > "$a/n1-twice"
ls -l "$p" "$a" | awk '{print $5, $9}'
