@upgrade @fresh-cluster
Feature: A rolling in-place upgrade under live traffic, and a quorum through it
  While the swarm is upgraded one node at a time, a client on every node keeps
  requesting the service by name. A node's client stops just before its node goes
  down and starts again when it is back, so that the others watch every moment.
  Docker's guarantee is for drained nodes: their tasks move before the daemon stops,
  so no request to the service fails.

  Scenario: draining first, no request to the service fails through the whole upgrade
    Given a swarm with a 20.10 manager and workers on 20.10 and 20.10
    And an overlay network up-net with options `--attachable`
    And a service my-web with 3 replicas on network up-net
    And a client on every node keeps requesting "tasks.my-web" over HTTP from network up-net
    When the swarm is upgraded in place to engine 26.1, one node at a time, managers first
    Then no request of the clients failed

  Scenario: a quorum of 3 managers upgraded one at a time always has a leader
    Given a swarm with 3 managers and 0 workers on engine 20.10
    And an overlay network my-network
    And a service my-web with 3 replicas on network my-network
    When the swarm is upgraded in place to engine 26.1, one node at a time, managers first
    Then while each manager was down, another manager reported a Leader
    And every node runs engine 26.1, and `docker node ls` says so
    And the swarm has 3 Ready nodes
