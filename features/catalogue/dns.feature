@catalogue
Feature: Service discovery through Docker's embedded DNS
  Every container on an overlay asks 127.0.0.11. A service name answers with the
  service's virtual IP (or, in dnsrr mode, its tasks' addresses); `tasks.<service>`
  answers with the address of every running task and follows the service as it
  scales; network aliases answer like the name; a removed service stops answering.

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

  @pr
  Scenario: a service name resolves to its virtual IP, a dnsrr service's to its tasks
    Given a service my-rr with 2 replicas on network my-network in endpoint mode dnsrr
    Then from every task of my-rr, "my-web" resolves to the virtual IP of my-web
    And from every task of my-web, "my-rr" resolves to the addresses of the tasks of my-rr

  Scenario: a network alias resolves like the service name
    Given a service aliased with 1 replica with options `--network name=my-network,alias=web-alias`
    Then from every task of my-web, "web-alias" resolves to the virtual IP of aliased
    And from every task of my-web, "aliased" resolves to the virtual IP of aliased

  Scenario: a removed service stops resolving
    Given a service doomed with 1 replica on network my-network
    And from every task of my-web, "doomed" resolves to the virtual IP of doomed
    When I run `docker service rm doomed` on manager1
    Then the command succeeds
    And from every task of my-web, "doomed" resolves to nothing
    And from every task of my-web, "tasks.doomed" resolves to nothing
