#!/usr/bin/env bash
# After a run: nothing of swarmnet's may be left: containers, networks, volumes
# labelled io.swarmnet.managed on the host daemon; no UML node's kernel, tap or
# bridge (swml<n>, swnt..., swnb...), DOCKER-USER rule (theirs, or a lab bridge's
# REJECT) or copy-on-write disk; nothing
# left in the UML ledger. Exits 1 and lists them if any is.
set -uo pipefail
left=$( {
  docker ps -aq --filter label=io.swarmnet.managed=true | sed 's/^/container /'
  docker network ls -q --filter label=io.swarmnet.managed=true | sed 's/^/network /'
  docker volume ls -q --filter label=io.swarmnet.managed=true | sed 's/^/volume /'
  pgrep -f 'linux.uml .*swarmnet-init' | sed 's/^/UML process /'
  ip -o link show 2>/dev/null | awk -F': ' '$2 ~ /^(swml[0-9]+|swn[bt][0-9a-f]+)/ { print "link " $2 }'
  iptables -S DOCKER-USER 2>/dev/null | grep -E -- '-i swnb|-i br-[0-9a-f]+ ! -o br-[0-9a-f]+ -j REJECT' | sed 's/^/firewall rule /'
  cache=${SWARMNET_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/swarmnet}/uml
  ls -1 "$cache/live" 2>/dev/null | sed 's/^/UML ledger entry /'
  ls -1 "$cache/nodes" 2>/dev/null | sed 's/^/UML node disks /'
} )
if [ -n "$left" ]; then
  echo "[swarmnet] LEAK: the run left these behind:" >&2
  echo "$left" >&2
  exit 1
fi
echo "[swarmnet] no container, network, volume, UML kernel, link, rule or node disk of swarmnet's is left" >&2
