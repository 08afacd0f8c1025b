@catalogue
Feature: Service discovery through Docker's embedded DNS
  Every container on an overlay asks 127.0.0.11. A service name answers with the
  service's virtual IP; `tasks.<service>` answers with the address of every running
  task, and follows the service as it scales.

  Background:
    Given a swarm with 1 manager and 2 workers
    And an overlay network my-network
    And a service my-web with 2 replicas on network my-network

  Scenario: tasks.<service> follows scaling up and down
    When I scale service my-web to 4
    Then from every task of my-web, "tasks.my-web" resolves to the addresses of the tasks of my-web
    When I scale service my-web to 1
    Then from every task of my-web, "tasks.my-web" resolves to the addresses of the tasks of my-web
    And network my-network has 1 endpoint of service my-web, collected from every node, with distinct addresses inside "10.0.1.0/24"
