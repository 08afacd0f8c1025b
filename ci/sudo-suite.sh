#!/usr/bin/env bash
# Runs a command as root with the user's PATH and swarmnet's settings: on a CI runner
# whose jobs run as a non-root user (GitHub's `runner`), dockerd's setup, kernel
# modules and UML nodes' taps and bridges need root. Used by ci/github-actions.yml.
set -euo pipefail
keep=CI
for name in $(compgen -e | grep -E '^(SWARMNET_|GITHUB_)' || true); do keep="$keep,$name"; done
exec sudo --preserve-env="$keep" env "PATH=$PATH" "$@"
