@catalogue
Feature: Service discovery through Docker's embedded DNS
  Every container on an overlay asks 127.0.0.11. A service name answers with the
  service's virtual IP (or, in dnsrr mode, its tasks' addresses); `tasks.<service>`
  answers with the address of every running task and follows the service as it
  scales; network aliases answer like the name; a removed service stops answering.
  A name Docker does not hold goes to the node's resolver: here the lab's name
  server, which holds `upstream.swarmnet.test` (192.0.2.53) and nothing else.

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

  # moby#38575 and moby#36988 (open): after `--endpoint-mode dnsrr` on a running
  # service, the name still answers with the old virtual IP beside the tasks; back to
  # vip, the service gets a new virtual IP but the name answers only the old one,
  # which no service holds any more. Each engine's answer is stated below: on every
  # engine here the stale record stays.
  Scenario: switching a running service from endpoint mode vip to dnsrr and back
    Given a service switching with 2 replicas on network my-network
    And from every task of my-web, "switching" resolves to the virtual IP of switching
    When I note the virtual IP of switching
    And I run `docker service update --detach --endpoint-mode dnsrr switching` on manager1
    Then the command succeeds
    And service switching has no virtual IP
    And within 60 s, from every task of my-web, "switching" resolves to these addresses of switching, by engine:
      | engine | addresses                |
      | 20.10  | tasks + noted virtual IP |
      | 26.1   | tasks + noted virtual IP |
      | 28.5   | tasks + noted virtual IP |
    When I run `docker service update --detach --endpoint-mode vip switching` on manager1
    Then the command succeeds
    And service switching has a virtual IP on network my-network inside the network's subnet
    And service switching has a virtual IP other than its noted one
    And within 60 s, from every task of my-web, "switching" resolves to these addresses of switching, by engine:
      | engine | addresses        |
      | 20.10  | noted virtual IP |
      | 26.1   | noted virtual IP |
      | 28.5   | noted virtual IP |

  # TestServiceAliasRefCounting (libnetwork, service_common_unix_test.go): an alias two
  # services share is counted, so removing one service keeps the other's record.
  Scenario: two services sharing an alias: removing one leaves the alias answering for the other
    Given a service first with 1 replica with options `--network name=my-network,alias=shared`
    And a service second with 1 replica with options `--network name=my-network,alias=shared`
    Then from every task of my-web, "shared" resolves to the virtual IPs of first and second
    When I run `docker service rm first` on manager1
    Then the command succeeds
    And within 30 s, from every task of my-web, "shared" resolves to the virtual IP of second
    And from every task of my-web, "first" resolves to nothing

  # TestIntDNSAsExtDNS (integration/network) and libnetwork's resolver tests: a name
  # Docker's embedded DNS does not hold is forwarded to the node's resolver, and its
  # answer, records or "no such name", comes back to the task unchanged.
  Scenario: names Docker does not hold are forwarded to the node's resolver, answers and "no such name" alike
    Then from every task of my-web, "upstream.swarmnet.test" resolves to "192.0.2.53"
    And from every task of my-web, "nothing.swarmnet.test" resolves to nothing
    And from every task of my-web, "my-web" resolves to the virtual IP of my-web

  # moby#23970, moby#24092, moby#26067: a task enters its service's records only once
  # its health check has passed, and leaves them when the check fails; its
  # replacement, still starting, stays out. The tasks here are healthy only while a
  # file exists in them, and start without it.
  Scenario: only healthy tasks are in tasks.<service>: one turned unhealthy leaves, and its starting replacement stays out
    Given a service checked with 2 replicas on network my-network, healthy only while the file "/tmp/healthy" exists in it
    Then from every task of my-web, "tasks.checked" resolves to nothing
    When the file "/tmp/healthy" is made in every task container of checked
    Then within 60 s, from every task of my-web, "tasks.checked" resolves to the addresses of the 2 running tasks of checked
    When the file "/tmp/healthy" is removed in checked.1
    Then within 60 s, from every task of my-web, "tasks.checked" resolves to the addresses of the 1 running task of checked
    When I run `docker service ps --filter desired-state=running --format "{{.CurrentState}}" checked` on manager1
    Then the output contains "Starting"
    And within 10 s, from every task of my-web, "tasks.checked" resolves to the addresses of the 1 running task of checked
