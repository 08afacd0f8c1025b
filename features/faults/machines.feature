@machine
Feature: Nodes that are machines lose power, shut down, and come back
  Where every node is a kernel of its own (UML nodes), a node can lose its power (its
  kernel killed outright: nothing flushed, its disks as they were) or be shut down
  cleanly (dockerd stopped, disks synced), and boot again on the same disks. The swarm
  moves the node's tasks away, the virtual IP stops sending traffic to the dead ones,
  and the node, back, runs tasks that answer on its overlays again.

  Background:
    Given a swarm with 1 manager and 2 workers
    And an overlay network my-network with options `--attachable`
    And a service my-web with 3 replicas on network my-network

  @ipvs
  Scenario: a worker loses power under a client of the virtual IP; its tasks move, and after it boots again its tasks answer
    Given a client on manager1 keeps requesting "my-web" over HTTP from network my-network
    When worker2 is killed
    Then within 60 s, the swarm reports worker2 as Down
    And within 60 s, service my-web is back to 3 running tasks, none on worker2
    And from every task of my-web, HTTP to "my-web" answers
    When worker2 boots again
    Then within 90 s, the swarm reports worker2 as Ready
    When service my-web is updated with `--force`
    Then service my-web has 3 running tasks on 3 different nodes
    And from every task of my-web, HTTP to every other task answers
    And from every task of my-web, HTTP to "my-web" answers
    And the clients' longest outage was under 10 s
    And at most 5 % of the clients' requests failed

  Scenario: a worker shut down cleanly and booted again comes back with its overlay, and its tasks answer
    When worker1 is stopped
    Then within 60 s, the swarm reports worker1 as Down
    When worker1 boots again
    Then within 90 s, the swarm reports worker1 as Ready
    When service my-web is updated with `--force`
    Then service my-web has 3 running tasks on 3 different nodes
    And from every task of my-web, HTTP to every other task answers
