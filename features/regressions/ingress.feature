@regressions
Feature: The ingress network: one only, removable, re-creatable
  The routing mesh's network can be removed and re-created with another subnet and
  MTU. Docker's own test (moby TestSwarmIngressNetwork) checks it on one daemon;
  here it is checked on every node. Guards moby#47331 (swarm networks with a custom
  ingress broke after 25.x) and docker/for-linux#237 (ingress-sbox gone when the last
  publishing service was removed). Traffic through the mesh needs IPVS: see
  catalogue/publishing.feature.

  Background:
    Given a swarm with 1 manager and 2 workers

  Scenario: there is only one ingress, and it cannot be removed while a service publishes a port
    When I run `docker network create --driver overlay --ingress ingress2` on manager1
    Then the command fails with "is already present"
    Given a service published with 1 replica with options `--publish published=8080,target=80`
    When I run `docker network rm ingress` on manager1, answering "y"
    Then the command fails with "ingress network cannot be removed because service"

  Scenario: without ingress, publishing is refused while dnsrr services on other overlays work
    When I run `docker network rm ingress` on manager1, answering "y"
    Then the command succeeds
    And within 30 s, no node has network ingress
    When I run `docker service create --detach --name published --publish 8080:80 nginx` on manager1
    Then the command fails with "service needs ingress network, but no ingress network is present"
    Given an overlay network my-network
    And a service my-rr with 3 replicas on network my-network in endpoint mode dnsrr
    Then from every task of my-rr, HTTP to every other task answers
    And from every task of my-rr, "my-rr" resolves to the addresses of the tasks of my-rr

  # A re-created ingress reaches a node only when a publishing task runs there (with
  # one replica, a node without its task may have no ingress): a global service puts
  # one on every node.
  Scenario: a re-created ingress keeps its subnet and MTU on every node, and outlives its last publishing service
    When the ingress network is re-created with options `--subnet 10.99.0.0/24 --opt com.docker.network.driver.mtu=1400`
    Given a global service published with options `--publish published=8080,target=80`
    Then on every node, network ingress has:
      | Ingress                                  | true             |
      | IPAM.Config[0].Subnet                    | 10.99.0.0/24     |
      | Options["com.docker.network.driver.mtu"] | 1400             |
      | Containers["ingress-sbox"].Name          | ingress-endpoint |
    When I run `docker service rm published` on manager1
    Then within 30 s, `docker service ps published` on manager1 fails with "no such service"
    And within 60 s, no node has a container of service published any more
    And for 10 s, on every node, network ingress keeps:
      | IPAM.Config[0].Subnet           | 10.99.0.0/24     |
      | Containers["ingress-sbox"].Name | ingress-endpoint |
