@catalogue
Feature: Network and service lifecycle
  A network in use cannot be removed; once its service is gone it can, and it leaves
  every node. Scaling to zero and back allocates new addresses; `service update
  --network-add/--network-rm` changes the networks of running tasks.

  Background:
    Given a swarm with 1 manager and 2 workers
    And an overlay network my-network
    And a service my-web with 3 replicas on network my-network

  @pr
  Scenario: removing a network in use fails with Docker's error
    When I run `docker network rm my-network` on manager1
    Then the command fails with "is in use by"

  Scenario: removing the service, then the network, clears it from every node
    When I run `docker service rm my-web` on manager1
    Then the command succeeds
    And within 30 s, `docker network rm my-network` on manager1 succeeds
    And within 60 s, no node has network my-network

  Scenario: scaling to 0 and back gives new addresses inside the subnet
    When I note the addresses of the tasks of my-web on network my-network
    And I scale service my-web to 0
    And I scale service my-web to 3
    Then the tasks of my-web have distinct addresses inside the subnet of network my-network
    And no task of my-web has a noted address on network my-network

  Scenario: --network-add and --network-rm change the networks of running tasks
    Given an overlay network other
    When I run `docker service update --detach --network-add other my-web` on manager1
    Then the command succeeds
    And within 60 s, every task of my-web is on exactly the networks "my-network, other"
    When I run `docker service update --detach --network-rm my-network my-web` on manager1
    Then the command succeeds
    And within 60 s, every task of my-web is on exactly the networks "other"
