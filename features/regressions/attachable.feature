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
