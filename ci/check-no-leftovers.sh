#!/usr/bin/env bash
# After a run: nothing of swarmnet's may be left: containers, networks, volumes
# labelled io.swarmnet.managed on the host daemon, and no UML kernel host (its
# process or its swuml<n> tap device). Exits 1 and lists them if any is.
set -uo pipefail
left=$( {
  docker ps -aq --filter label=io.swarmnet.managed=true | sed 's/^/container /'
  docker network ls -q --filter label=io.swarmnet.managed=true | sed 's/^/network /'
  docker volume ls -q --filter label=io.swarmnet.managed=true | sed 's/^/volume /'
  pgrep -f 'linux.uml .*swarmnet-init' | sed 's/^/UML process /'
  ip -o link show 2>/dev/null | awk -F': ' '$2 ~ /^swuml[0-9]+/ { print "tap device " $2 }'
} )
if [ -n "$left" ]; then
  echo "[swarmnet] LEAK: the run left these behind:" >&2
  echo "$left" >&2
  exit 1
fi
echo "[swarmnet] no container, network, volume, UML process or tap device of swarmnet's is left" >&2
