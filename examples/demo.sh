#!/usr/bin/env bash
# The demo that `make demo` runs: a private daemon, the embedded synthetic `fraud` dataset, and
# the seed's set-up (stratified split, the seed's inverse class weights beside the other schemes).
# Usage: examples/demo.sh BIN_FOLDER   (where ballastd and ballast were built)
set -euo pipefail
bin=${1:-.build/release}
workdir=$(mktemp -d)
export BALLAST_CONNECTION_FILE="$workdir/ballastd.json"
export BALLASTD="$bin/ballastd"
trap '"$bin/ballast" stop >/dev/null 2>&1 || true; rm -rf "$workdir"' EXIT

call() { "$bin/ballast" call "$@"; }
show() { python3 "$(dirname "$0")/show.py" "$@"; }

echo "== Ballast demo: the seed's fraud experiment, step by step =="
echo
echo "-- dataset/generate preset=fraud (284,807 rows, 30 features, 0.172% positives)"
call dataset/generate '{"preset": "fraud", "name": "cards", "seed": 7}' | show summary
echo
echo "-- dataset/split: stratified 50% train / 20% validation / 30% test"
call dataset/split '{"dataset": "cards", "test": 0.3, "validation": 0.2, "seed": 0}' | show split
echo
echo "-- weights/compute on cards.train: the seed's inverse weights beside the other schemes"
for scheme in inverse balanced inverse_sqrt effective_number; do
    call weights/compute "{\"dataset\": \"cards.train\", \"scheme\": \"$scheme\"}"
done | show weights
echo
echo "-- dataset/resample cards.train with SMOTE (ratio 0.1, k 5): resampling stays inside the training split"
call dataset/resample '{"dataset": "cards.train", "method": "smote", "ratio": 0.1, "k": 5, "seed": 0}' | show summary
echo
echo "-- dataset/list"
call dataset/list | show list
