#!/usr/bin/env bash
# After a run: nothing of swarmnet's may be left on the host daemon (containers,
# networks, volumes labelled io.swarmnet.managed). Exits 1 and lists them if any is.
set -euo pipefail
left=$( {
  docker ps -aq --filter label=io.swarmnet.managed=true | sed 's/^/container /'
  docker network ls -q --filter label=io.swarmnet.managed=true | sed 's/^/network /'
  docker volume ls -q --filter label=io.swarmnet.managed=true | sed 's/^/volume /'
} )
if [ -n "$left" ]; then
  echo "[swarmnet] LEAK: the run left these on the host daemon:" >&2
  echo "$left" >&2
  exit 1
fi
echo "[swarmnet] no container, network or volume of swarmnet's is left on the host" >&2
