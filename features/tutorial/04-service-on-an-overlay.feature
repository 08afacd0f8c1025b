@tutorial
Feature: A replicated service on an overlay network
  `docker service create --replicas 3 --network my-network nginx` puts one task on
  each node. Each node's `docker network inspect` shows only its own endpoints: its
  task, its `lb-my-network` load-balancer endpoint, and the peers of the network.

  Background:
    Given a swarm with 1 manager and 2 workers
    And an overlay network my-network

  Scenario: three replicas converge, one on each node
    When I run on manager1:
      """
      docker service create \
        --replicas 3 \
        --name my-web \
        --network my-network \
        nginx
      """
    Then the command succeeds
    # Docker 26 started naming the service in its convergence message.
    And the output contains, by engine:
      | engine | text                                          |
      | 20.10  | verify: Service converged                     |
      | 26.1   | verify: Service ${my-web.service-id} converged |
      | 28.5   | verify: Service ${my-web.service-id} converged |
    And service my-web has 3 running tasks on 3 different nodes

  Scenario: every task has its own address inside the network's subnet
    Given a service my-web with 3 replicas on network my-network
    Then network my-network has 3 endpoints of service my-web, collected from every node, with distinct addresses inside "10.0.1.0/24"

  Scenario: every node running a task has the network's load-balancer endpoint
    Given a service my-web with 3 replicas on network my-network
    Then every node running a task of my-web has the endpoint "lb-my-network" named "my-network-endpoint" on network my-network

  Scenario: the network's peers are the nodes that run its tasks
    Given a service my-web with 3 replicas on network my-network
    Then on every node running a task of my-web, the Peers of network my-network are the advertise addresses of those nodes
