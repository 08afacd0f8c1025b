@faults
Feature: Draining a node and making it active again
  `docker node update --availability drain` moves a node's tasks elsewhere; the
  service stays reachable while they move. Back to `active`, the node takes new
  tasks again. (Nothing is broken here: the cluster is reset, not discarded.)

  Background:
    Given a swarm with 1 manager and 2 workers
    And an overlay network my-network
    And a service my-web with 3 replicas on network my-network

  Scenario: a drain moves the tasks off the node and the service stays reachable
    When worker1 is drained while a client on manager1 keeps requesting "tasks.my-web" over HTTP
    Then every request of the client was answered
    And service my-web has 3 running tasks on 2 different nodes
    And from every task of my-web, HTTP to every other task answers

  Scenario: an active node takes new tasks again
    When I run `docker node update --availability drain worker1` on manager1
    Then service my-web has 3 running tasks on 2 different nodes
    When I run `docker node update --availability active worker1` on manager1
    And I scale service my-web to 6
    Then service my-web has 6 running tasks on 3 different nodes
