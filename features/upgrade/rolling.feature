@upgrade @fresh-cluster
Feature: A rolling in-place upgrade under live traffic, and its odd orders
  While the swarm is upgraded one node at a time, a client on every node keeps
  requesting the service by name. A node's client stops just before its node goes
  down and starts again when it is back, so that the others watch every moment.
  Docker's documentation promises that draining first keeps a service answering.
  A sole manager restarted in place is found by the workers only on their 60 s
  gossip rejoin, so the upgrade step waits, before the next node, until on every
  overlay each node with endpoints lists exactly the nodes with endpoints among its
  Peers. Even then a few requests fail now and then (a handful in a row, within a
  few seconds, while a node's gossip converges), so each scenario states two bounds:
  the longest outage and the share of requests that failed (a broken backend fails
  every third request, a flapping one every other: both break the share, never the
  outage).
  Without draining, a graceful daemon stop shuts its tasks down and the swarm starts
  them elsewhere; Docker promises nothing there, and the same bounds are stated.

  Scenario: draining first, the service keeps answering through the whole upgrade, bar a few requests
    Given a swarm with a 20.10 manager and workers on 20.10 and 20.10
    And an overlay network up-net with options `--attachable`
    And a service my-web with 3 replicas on network up-net
    And a client on every node keeps requesting "tasks.my-web" over HTTP from network up-net
    When the swarm is upgraded in place to engine 26.1, one node at a time, managers first
    Then the clients' longest outage was under 10 s
    And at most 5 % of the clients' requests failed

  # Where IPVS runs, the service name is a virtual IP that the kernel balances on every
  # node; the same bound holds through it. A UML node's upgrade is a reboot: the workers
  # may re-register with the rebooted sole manager after three dispatcher heartbeats,
  # and it then marks them Down and starts their tasks elsewhere (docs/known-issues.md).
  # An operator upgrading a sole manager raises the heartbeat first, and so does this.
  @ipvs
  Scenario: draining first, the service's virtual IP keeps answering through the whole upgrade, bar a few requests
    Given a swarm with a 20.10 manager and workers on 20.10 and 20.10
    And the swarm's dispatcher heartbeat is 20 s
    And an overlay network up-net with options `--attachable`
    And a service my-web with 3 replicas on network up-net
    And a client on every node keeps requesting "my-web" over HTTP from network up-net
    When the swarm is upgraded in place to engine 26.1, one node at a time, managers first
    Then the clients' longest outage was under 10 s
    And at most 5 % of the clients' requests failed

  Scenario: without draining, the tasks stop with their daemon and the service keeps answering, bar a few requests
    Given a swarm with a 20.10 manager and workers on 20.10 and 20.10
    And an overlay network up-net with options `--attachable`
    And a service my-web with 3 replicas on network up-net
    And a client on every node keeps requesting "tasks.my-web" over HTTP from network up-net
    When the swarm is upgraded in place to engine 26.1, one node at a time, managers first, without draining
    Then the clients' longest outage was under 10 s
    And at most 5 % of the clients' requests failed
    And within 60 s, service my-web is back to 3 running tasks
    And from every task of my-web, HTTP to every other task answers

  # The other way round from the mixed-versions feature: the manager is newer than its
  # workers. A sole manager restarted in place comes back as a new gossip member that
  # it cannot announce (it has no one to join); the workers find it on their periodic
  # rejoin (libnetwork networkdb rejoinClusterBootStrap, every 60 s). Until then the
  # overlay carries nothing to or from its tasks, on 20.10 -> 28.5 and 20.10 -> 20.10
  # alike (docs/known-issues.md).
  Scenario: a manager upgraded first runs networks and services on workers still on the old engine
    Given a swarm with a 20.10 manager and workers on 20.10 and 20.10
    When manager1 is upgraded in place to engine 28.5
    Then `docker node ls` on manager1 shows each node's engine version as its daemon reports it
    Given an overlay network new-net
    # Global: one task on every node, so the old workers must run one (a replicated
    # service may be placed twice on one worker and never on the other).
    And a global service my-web on network new-net
    Then service my-web has 3 running tasks on 3 different nodes
    And on every node, network new-net has:
      | IPAM.Config[0].Subnet                                     | 10.0.1.0/24 |
      | Options["com.docker.network.driver.overlay.vxlanid_list"] | 4097        |
    And within 120 s, HTTP reachability on port 80 is:
      | from            | to              | expected |
      | my-web@manager1 | my-web@worker1  | yes      |
      | my-web@manager1 | my-web@worker2  | yes      |
      | my-web@worker1  | my-web@manager1 | yes      |
      | my-web@worker1  | my-web@worker2  | yes      |
      | my-web@worker2  | my-web@manager1 | yes      |
      | my-web@worker2  | my-web@worker1  | yes      |
    And from every task of my-web, "tasks.my-web" resolves to the addresses of the tasks of my-web

  Scenario: a quorum of 3 managers upgraded one at a time always has a leader
    Given a swarm with 3 managers and 0 workers on engine 20.10
    And an overlay network my-network
    And a service my-web with 3 replicas on network my-network
    When the swarm is upgraded in place to engine 26.1, one node at a time, managers first
    Then while each manager was down, another manager reported a Leader
    And every node runs engine 26.1, and `docker node ls` says so
    And the swarm has 3 Ready nodes

  # Docker documents no downgrade; this says what it does with a newer engine's state:
  # each node comes back on the older engine with its node id, networks and VIPs; the
  # manager's tasks are reachable again after the workers' 60 s gossip rejoin (above).
  Scenario: a worker and then the manager downgraded in place come back with their state
    Given a swarm with a 26.1 manager and workers on 26.1 and 26.1
    And an overlay network my-network
    And a global service my-web on network my-network
    And I record the swarm's networks, virtual IPs and task addresses
    When worker1 is downgraded in place to engine 20.10
    And manager1 is downgraded in place to engine 20.10
    Then `docker node ls` on manager1 shows each node's engine version as its daemon reports it
    And every recorded network is unchanged on every node that has it
    And every service kept its recorded virtual IPs
    And service my-web has 3 running tasks on 3 different nodes
    And within 120 s, HTTP reachability on port 80 is:
      | from            | to              | expected |
      | my-web@manager1 | my-web@worker1  | yes      |
      | my-web@manager1 | my-web@worker2  | yes      |
      | my-web@worker1  | my-web@manager1 | yes      |
      | my-web@worker1  | my-web@worker2  | yes      |
      | my-web@worker2  | my-web@manager1 | yes      |
      | my-web@worker2  | my-web@worker1  | yes      |
