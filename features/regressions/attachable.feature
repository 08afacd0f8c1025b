@regressions
Feature: Standalone containers on an attachable overlay find each other across nodes
  From moby's TestSwarmContainerEndpointOptions (integration-cli), which checks names
  and aliases on one daemon; here the containers are on different nodes, so the names
  travel through the swarm's gossip.

  Scenario: containers on different nodes resolve each other by name and by alias
    Given a swarm with 1 manager and 2 workers
    And an overlay network att-net with options `--attachable --subnet 10.40.0.0/24`
    And a container alpha on worker1 on network att-net with options `--network-alias alpha-alias`
    And a container beta on worker2 on network att-net
    Then from beta, "alpha" resolves to the address of alpha on network att-net
    And from beta, "alpha-alias" resolves to the address of alpha on network att-net
    And from alpha, "beta" resolves to the address of beta on network att-net

  # moby TestOverlayAttachableOnSwarmLeave: `swarm leave --force` detaches the node's
  # containers from the swarm's overlays (they keep running, on no network).
  @fresh-cluster
  Scenario: a static address is honoured, and leaving the swarm detaches the node's containers
    Given a swarm with 1 manager and 2 workers
    And an overlay network att-net with options `--attachable --subnet 10.40.0.0/24`
    And a container fixed on worker1 on network att-net with options `--ip 10.40.0.100`
    And a container beta on worker2 on network att-net
    Then from beta, "fixed" resolves to the address of fixed on network att-net
    When I run `docker inspect --format '{{(index .NetworkSettings.Networks "att-net").IPAddress}}' fixed` on worker1
    Then the output contains "10.40.0.100"
    When I run `docker swarm leave --force` on worker1
    And I run `docker inspect --format '{{.State.Status}} {{json .NetworkSettings.Networks}}' fixed` on worker1
    Then the output contains "running {}"

  # moby TestOverlayAttachableReleaseResourcesOnFailure: a container refused for a
  # duplicate address holds nothing: once both are gone, the address is free again.
  @fresh-cluster
  Scenario: a duplicate static address is refused, and the refusal leaks nothing
    Given a swarm with 1 manager and 2 workers
    And an overlay network att-net with options `--attachable --subnet 10.40.0.0/24`
    And a container fixed on worker1 on network att-net with options `--ip 10.40.0.100`
    When I run `docker run -d --name dup --network att-net --ip 10.40.0.100 swarmnet/probe sleep 600` on worker2
    Then the command fails with "attaching to network failed, make sure your network options are correct and check manager logs: context deadline exceeded"
    When I run `docker rm -f dup` on worker2
    And I run `docker rm -f fixed` on worker1
    And I run `docker run -d --name again --network att-net --ip 10.40.0.100 swarmnet/probe sleep 600` on worker2
    Then the command succeeds
    When I run `docker inspect --format '{{(index .NetworkSettings.Networks "att-net").IPAddress}}' again` on worker2
    Then the output contains "10.40.0.100"
