@catalogue
Feature: Publishing ports
  `--publish mode=host` binds the port on the node that runs the task and nowhere
  else. Ingress-mode publishing is recorded in the service's endpoint and on the
  ingress network of every node; through the routing mesh it answers on every
  node, which needs IPVS.

  Background:
    Given a swarm with 1 manager and 2 workers

  @pr
  Scenario: host-mode publishing answers only on the node that runs the task
    Given a service pinned with 1 replica with options `--publish mode=host,published=8080,target=80`
    Then service pinned publishes port 80 as 8080 in mode host
    And port 8080 answers HTTP only on the nodes running a task of pinned

  Scenario: ingress-mode publishing is recorded on every node
    Given a service meshed with 1 replica with options `--publish published=8081,target=80`
    Then service meshed publishes port 80 as 8081 in mode ingress
    And on every node, network ingress has:
      | Containers["ingress-sbox"].Name | ingress-endpoint |

  @ipvs
  Scenario: ingress-mode publishing answers on every node through the routing mesh
    Given a service meshed with 1 replica with options `--publish published=8081,target=80`
    Then port 8081 answers HTTP on every node

  # moby#33691, moby#26563: after a node's daemon restarted, a published port no longer
  # answered through the routing mesh.
  @ipvs
  Scenario: the routing mesh answers again after a node's daemon restarts
    Given a service meshed with 1 replica with options `--publish published=8082,target=80`
    Then within 60 s, port 8082 answers HTTP on every node
    When the Docker daemon on worker1 restarts
    Then within 90 s, port 8082 answers HTTP on every node

  # TestRestoreIngressRulesOnFirewalldReload (integration/network), moby#50443 (fixed in
  # 28.3.3, CVE-2025-54388): a firewalld reload flushes the rules dockerd made, and
  # dockerd puts them back when firewalld says it reloaded. Without firewalld nothing
  # tells dockerd: rules flushed by a firewall script stay gone, and the node no longer
  # answers through the mesh, while the others do, until its daemon restarts.
  @ipvs
  Scenario: a node whose iptables rules are flushed answers through the mesh again only after its daemon restarts
    Given a service meshed with 1 replica with options `--publish published=8086,target=80 --constraint node.role==manager`
    Then within 60 s, port 8086 answers HTTP on every node
    When the iptables rules of worker1 are flushed
    Then for 20 s, port 8086 answers HTTP on every node but worker1
    When the Docker daemon on worker1 restarts
    Then within 90 s, port 8086 answers HTTP on every node

  # docker/cli#2274, moby/swarmkit#2937: a port added to a running service with
  # --publish-add was missing from the ingress rules after an update.
  # TestIngressPortsAcrossServiceUpdate (integration/service), TestAPIServiceUpdatePort
  # (integration-cli), swarmkit#3025, swarmkit#3026, swarmkit#1171: ports moved to
  # another number stop answering on the old ones; a port in use is refused to another
  # service, and once its service is removed it can be published again right away.
  # `--publish-rm` takes a target port and removes every port published to it (with
  # `published=8083,target=80` too: both 8083 and 8084 went, seen on 20.10).
  @ipvs
  Scenario: ports added to and moved on a running service answer only where published; a port in use is refused until released
    Given a service meshed with 1 replica with options `--publish published=8083,target=80`
    When I run `docker service update --detach --publish-add published=8084,target=80 meshed` on manager1
    Then the command succeeds
    And within 60 s, port 8084 answers HTTP on every node
    And within 60 s, port 8083 answers HTTP on every node
    When I run `docker service create --detach --no-resolve-image --name clash --publish published=8083,target=80 nginx` on manager1
    Then the command fails with "port '8083' is already in use by service"
    When I run `docker service update --detach --publish-rm 80 --publish-add published=8085,target=80 meshed` on manager1
    Then the command succeeds
    And within 60 s, port 8085 answers HTTP on every node, and port 8083 on none
    When I run `docker service rm meshed` on manager1
    Then the command succeeds
    Given a service again with 1 replica with options `--publish published=8085,target=80`
    Then within 60 s, port 8085 answers HTTP on every node

  # moby#29938 (UDP through the routing mesh): UDP published ports are load-balanced by
  # IPVS like TCP; replies must come back through the mesh to the client. moby#27390: a
  # service could not publish one port number as both TCP and UDP ("duplicate published
  # ports provided"); to the routing mesh they are two ports, each to the task's own
  # server.
  @ipvs
  Scenario: UDP answers on every node through the routing mesh, beside TCP on the same port number
    Given a service both-ways with 1 replica answering HTTP and UDP, publishing both on port 9000
    Then within 60 s, UDP port 9000 answers on every node
    And within 60 s, port 9000 answers HTTP on every node

  # TestCloseIngressPortsProxyAfterBindFailure (moby a0559c3, 2026): each node's dockerd
  # binds every port published through the mesh itself, to keep other processes off it.
  # Where a process on the node holds the port already, that bind fails and dockerd
  # logs it, yet the mesh takes the port's traffic from outside (its DNAT comes before
  # any socket). Until that fix, removing the port made dockerd close the UDP listener it
  # never got, a nil one; moby's test says that panicked. Here no engine crashes, and the
  # port is the process's again once the service is gone.
  @ipvs
  Scenario: a UDP port held by a process on a node goes to the mesh while published, and back to the process after
    Given a UDP echo server holder on the host network of worker1, on port 9000
    Then within 30 s, UDP port 9000 of worker1 is answered by container holder
    Given a service both-ways with 1 replica answering HTTP and UDP, publishing both on port 9000
    Then within 60 s, UDP port 9000 of worker1 is answered by a task of both-ways
    And within 30 s, the daemon log of worker1 has a line with "failed to create proxy for port 9000: listen udp :9000: bind: address already in use"
    When I run `docker service rm both-ways` on manager1
    Then the command succeeds
    And within 60 s, UDP port 9000 of worker1 is answered by container holder
    And the daemon log of worker1 has a line with "failed to create proxy for port 9000", and none with "panic"
    When I run `docker info --format {{.Swarm.LocalNodeState}}` on worker1
    Then the output contains "active"
