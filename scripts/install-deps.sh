#!/usr/bin/env bash
# Installs what Ballast needs and is missing, and nothing else:
#   system: libzmq3-dev (with libsodium-dev), libedit-dev (the REPL's line editor) and pkg-config,
#           from Debian's packages; with --neovim also Debian's neovim (0.7.2, the oldest release
#           the Neovim plugin supports), which the plugin's tests drive;
#           with --spark also Debian's openjdk-17-jre-headless when no Java 17 or later is found
#           (pyspark 4 needs it), and the Spark sidecar's Python packages
#           (sidecars/spark/requirements.txt: pyspark);
#   python: the packages listed in the requirement files given as arguments.
# Options come first, in any order. Safe to run again: each step checks first.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
with_neovim=false
with_spark=false
while [ $# -gt 0 ]; do
    case "$1" in
        --neovim) with_neovim=true; shift ;;
        --spark) with_spark=true; shift ;;
        *) break ;;
    esac
done

# The major version of the `java` on PATH (8 for "1.8.0_…"), or 0 when there is none.
java_major() {
    command -v java >/dev/null 2>&1 || { echo 0; return; }
    local major
    major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\)\.\{0,1\}\([0-9]*\).*/\1 \2/p' | head -n 1 |
        awk '{ print ($1 == 1 ? $2 : $1) }')
    echo "${major:-0}"   # a version it cannot read counts as too old
}

need_apt=()
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
pkg-config --exists libzmq 2>/dev/null || need_apt+=(libzmq3-dev)
pkg-config --exists libsodium 2>/dev/null || need_apt+=(libsodium-dev)
pkg-config --exists libedit 2>/dev/null || need_apt+=(libedit-dev)
if $with_neovim; then command -v nvim >/dev/null 2>&1 || need_apt+=(neovim); fi
if $with_spark && [ "$(java_major)" -lt 17 ] && [ ! -x /usr/lib/jvm/java-17-openjdk-amd64/bin/java ] \
        && [ ! -x /usr/lib/jvm/java-17-openjdk-arm64/bin/java ]; then
    need_apt+=(openjdk-17-jre-headless)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "Installing ${need_apt[*]} (Debian packages)…"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    # Slim Debian images leave out the man folders, where the JRE's postinst links java.1.gz.
    case " ${need_apt[*]} " in *" openjdk-17-jre-headless "*) $sudo mkdir -p /usr/share/man/man1 ;; esac
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_apt[@]}"
fi

if $with_spark; then
    if [ "$(java_major)" -lt 17 ]; then
        echo "Note: the \`java\` on PATH is older than 17; pyspark 4 needs 17. Point JAVA_HOME at" \
             "/usr/lib/jvm/java-17-openjdk-$(dpkg --print-architecture 2>/dev/null || echo amd64) before starting ballastd." >&2
    fi
    set -- "$here/../sidecars/spark/requirements.txt" "$@"
fi

for requirements in "$@"; do
    # A requirement file is satisfied when every module it names imports and its `# check:` lines
    # (Python statements, such as a version test) run without error: an import alone would accept
    # an old version that the code cannot use (pyspark 3.x imports, yet every Spark fit fails).
    modules=$(sed -n 's/^# import: //p' "$requirements")
    checks=$(sed -n 's/^# check: //p' "$requirements")
    if [ -n "$modules" ] && python3 -c "import $modules
$checks" >/dev/null 2>&1; then
        continue
    fi
    echo "Installing the Python packages of $requirements…"
    python3 -m pip install --quiet --disable-pip-version-check -r "$requirements"
done
