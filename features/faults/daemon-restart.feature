@faults
Feature: A node's Docker daemon restarts
  Without live-restore, a restarting engine stops its containers; the swarm starts the
  node's task again when the engine is back, and it rejoins the overlay.

  @pr
  Scenario: the node's task comes back and reaches the others
    Given a swarm with 1 manager and 2 workers
    And an overlay network my-network
    And a global service my-web on network my-network
    When the Docker daemon on worker1 restarts
    Then within 60 s, service my-web is back to 3 running tasks
    And HTTP reachability on port 80 is:
      | from            | to              | expected |
      | my-web@worker1  | my-web@manager1 | yes      |
      | my-web@worker1  | my-web@worker2  | yes      |
      | my-web@worker2  | my-web@worker1  | yes      |
