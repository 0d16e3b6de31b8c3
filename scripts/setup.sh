#!/usr/bin/env bash
# Installs the Debian packages the tests use as oracles (RISC-V GCC, QEMU, gdb, Chromium).
# Run as root (CI does); elsewhere it says what is missing and carries on.
set -euo pipefail
pkgs=(gcc-riscv64-unknown-elf qemu-user qemu-system-misc gdb-multiarch chromium xvfb)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all oracle packages present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "setup: missing ${missing[*]}; install them with apt-get as root (tests that need them will skip)" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: installed ${missing[*]}"
