@faults @fresh-cluster
Feature: Losing a worker that runs tasks
  When a worker's engine stops cleanly or dies at once (a power cut), the manager
  marks the node Down once its heartbeats stop and reschedules its tasks on the
  remaining nodes, with addresses in the overlay's subnet; DNS and traffic follow.
  The report says how long each stage of the recovery took.

  Background:
    Given a swarm with 1 manager and 2 workers
    And an overlay network my-network
    And a service my-web with 3 replicas on network my-network

  Scenario Outline: a worker that is <how> is replaced
    When worker2 is <how>
    Then within 60 s, the swarm reports worker2 as Down
    And within 60 s, service my-web is back to 3 running tasks, none on worker2
    And the tasks of my-web have distinct addresses inside the subnet of network my-network
    And from every task of my-web, "tasks.my-web" resolves to the addresses of the tasks of my-web
    And from every task of my-web, HTTP to every other task answers

    Examples:
      | how     |
      | stopped |
      | killed  |
