@tutorial
Feature: Tasks reach each other across nodes over the overlay
  VXLAN carries traffic between tasks on different nodes; Docker's embedded DNS
  (127.0.0.11) answers `tasks.<service>` with every task's address. A container that
  is not on the overlay cannot reach the tasks, though it reaches a server on another
  node's own address.

  Background:
    Given a swarm with 1 manager and 2 workers
    And an overlay network my-network
    And a service my-web with 3 replicas on network my-network

  @pr
  Scenario: every task answers HTTP from every other task, on every node
    Then from every task of my-web, HTTP to every other task answers

  Scenario: tasks.my-web resolves to exactly the task addresses
    Then from every task of my-web, "tasks.my-web" resolves to the addresses of the tasks of my-web

  Scenario: only members of the overlay reach its tasks
    Given a container outsider on worker1 on network bridge
    And a web server outside on the host network of manager1
    Then HTTP reachability on port 80 is:
      | from     | to       | expected |
      | my-web.1 | my-web.2 | yes      |
      | my-web.2 | my-web.3 | yes      |
      | my-web.3 | my-web.1 | yes      |
      | outsider | my-web.1 | no       |
      | outsider | my-web.2 | no       |
      | outsider | my-web.3 | no       |
      | outsider | outside  | yes      |
