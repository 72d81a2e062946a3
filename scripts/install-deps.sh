#!/usr/bin/env bash
# Installs what Ballast needs and is missing, and nothing else:
#   system: libzmq3-dev (with libsodium-dev), libedit-dev (the REPL's line editor) and pkg-config,
#           from Debian's packages; with --neovim also Debian's neovim (0.7.2, the oldest release
#           the Neovim plugin supports), which the plugin's tests drive;
#   python: the packages listed in the requirement files given as arguments.
# Safe to run again: each step checks first.
set -euo pipefail

with_neovim=false
if [ "${1:-}" = "--neovim" ]; then
    with_neovim=true
    shift
fi

need_apt=()
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
pkg-config --exists libzmq 2>/dev/null || need_apt+=(libzmq3-dev)
pkg-config --exists libsodium 2>/dev/null || need_apt+=(libsodium-dev)
pkg-config --exists libedit 2>/dev/null || need_apt+=(libedit-dev)
if $with_neovim; then command -v nvim >/dev/null 2>&1 || need_apt+=(neovim); fi
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "Installing ${need_apt[*]} (Debian packages)…"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_apt[@]}"
fi

for requirements in "$@"; do
    # A requirement file is satisfied when every module it names imports.
    modules=$(sed -n 's/^# import: //p' "$requirements")
    if [ -n "$modules" ] && python3 -c "import $modules" >/dev/null 2>&1; then
        continue
    fi
    echo "Installing the Python packages of $requirements…"
    python3 -m pip install --quiet --disable-pip-version-check -r "$requirements"
done
