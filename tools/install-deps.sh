#!/bin/sh
# install-deps.sh — installs the Debian packages zwire needs, if missing.
#
# Usage: tools/install-deps.sh [PACKAGE...]   (default: every package below)
# Runs `apt-get update` once, then `apt-get install -y` for what is missing.
# Needs root for that; without root it only says what to install.
set -eu

# What the build, the tests, the fuzzers and `make docs` use today:
# python3-zmq is libzmq (through pyzmq), the other side of the interop tests;
# libzmq3-dev is libzmq for the C baselines of `make bench` and of the soak;
# stress-ng is the load under which the soak runs; python3-nacl is the
# conformance suite's own CurveZMQ (conformance/zwire_codec/curvezmq.py);
# libsodium-dev is the reference stack's (reference/core/zw_curvezmq.c).
# Later parts add theirs (libsqlite3-dev) when their code arrives.
ALL="make gcc clang ragel libjansson-dev libzmq3-dev libsodium-dev
python3 python3-pytest python3-jsonschema python3-zmq python3-nacl
libfuzzer-14-dev libclang-rt-14-dev afl++ graphviz stress-ng"

wanted=${*:-$ALL}
missing=""
for pkg in $wanted; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $pkg" ;;
    esac
done
[ -z "$missing" ] && exit 0

echo "install-deps: missing Debian packages:$missing"
if [ "$(id -u)" != 0 ]; then
    echo "install-deps: run as root, or: apt-get install -y$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
