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

  # TestServiceUpdateNetwork (moby integration/service): the network a service leaves
  # loses the service's load-balancer endpoint (lb-<network>) on every node.
  Scenario: --network-add and --network-rm change the networks of running tasks, and the lb endpoint goes
    Given an overlay network other
    When I run `docker service update --detach --network-add other my-web` on manager1
    Then the command succeeds
    And within 60 s, every task of my-web is on exactly the networks "my-network, other"
    And every node running a task of my-web has the endpoint "lb-my-network" named "my-network-endpoint" on network my-network
    When I run `docker service update --detach --network-rm my-network my-web` on manager1
    Then the command succeeds
    And within 60 s, every task of my-web is on exactly the networks "other"
    And every node running a task of my-web has the endpoint "lb-other" named "other-endpoint" on network other
    And within 60 s, no node has the endpoint "lb-my-network" on network my-network

  # What TestServiceUpdateNetwork checks for a service leaving a network, for tasks
  # that end instead: tasks that complete, fail, or that their node rejects must not
  # leave the network's load-balancer endpoint behind on any node (no moby test has
  # this; swarmkit removes the endpoint once the node runs no task on the network).
  Scenario: once every task of a network's services has completed, failed or been rejected, no node keeps its lb endpoint
    Given an overlay network short-lived
    And a service finite with 2 replicas running `sleep 20` with options `--network short-lived --restart-condition none`
    And a service failing with 1 replica running `sh -c "sleep 20; exit 3"` with options `--network short-lived --restart-condition none`
    When I run `docker service create --detach --no-resolve-image --name rejected --restart-condition none --network short-lived --mount type=bind,source=/nonexistent,target=/x swarmnet/probe sleep 60` on manager1
    Then the command succeeds
    And every node running a task of finite has the endpoint "lb-short-lived" named "short-lived-endpoint" on network short-lived
    And within 90 s, no node has the endpoint "lb-short-lived" on network short-lived
    And for 15 s, no node has the endpoint "lb-short-lived" on network short-lived
    When I run `docker service ps --format "{{.Name}} {{.CurrentState}}" finite failing rejected` on manager1
    Then the output contains "finite.1 Complete"
    And the output contains "failing.1 Failed"
    And the output contains "rejected.1 Rejected"
