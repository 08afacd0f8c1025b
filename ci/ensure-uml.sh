#!/usr/bin/env bash
# Make User-Mode Linux nodes possible, for scenarios that need kernel
# features the host lacks (IPVS, ESP): installs Debian's user-mode-linux where we
# may (root on Debian/Ubuntu). Never fatal: without it those scenarios are skipped
# with the reason. Does nothing with SWARMNET_KERNEL=host or when it is installed.
set -uo pipefail
log() { printf '[swarmnet] %s\n' "$*" >&2; }
[ "${SWARMNET_KERNEL:-auto}" = host ] && exit 0
# cc builds the kernel's small ptrace shim (fixtures/kernels/uml/xstate-shim.c);
# patchelf points other suites' kernels (fixtures/kernels.json) at their own libc.
have() { command -v "$1" >/dev/null 2>&1; }
have linux.uml && have mkfs.ext4 && have cc && have patchelf && exit 0
if [ "$(id -u)" != 0 ] || ! grep -qiE '^(ID|ID_LIKE)=.*(debian|ubuntu)' /etc/os-release 2>/dev/null; then
  log "no UML nodes here (needs root on Debian/Ubuntu to install user-mode-linux)"
  exit 0
fi
log "installing user-mode-linux (a full kernel as a process, for scenarios the host kernel cannot run)..."
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends user-mode-linux e2fsprogs debootstrap gcc libc6-dev patchelf >/dev/null; }; then
  log "could not install user-mode-linux; scenarios that need IPVS or ESP will be skipped where the host lacks them"
fi
exit 0
