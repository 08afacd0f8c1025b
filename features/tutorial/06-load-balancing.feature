@tutorial
Feature: Load balancing: virtual IPs, the routing mesh and DNS round robin
  A service gets a virtual IP (VIP) on each of its networks, and a published port
  is answered on every node by the ingress routing mesh; both are carried by IPVS.
  `--endpoint-mode dnsrr` needs no IPVS: DNS returns the task addresses themselves.

  Background:
    Given a swarm with 1 manager and 2 workers
    And an overlay network my-network

  Scenario: the service has a virtual IP inside the network's subnet
    Given a service my-web with 3 replicas on network my-network
    Then service my-web has a virtual IP on network my-network inside the network's subnet
    And from every task of my-web, "my-web" resolves to the virtual IP of my-web

  @ipvs
  Scenario: traffic to the service name is spread over the tasks
    # A standalone client needs an attachable overlay ("network my-network not manually attachable").
    Given an overlay network lb-net with options `--attachable`
    And a service balanced with 3 replicas on network lb-net
    And a container client on manager1 on network lb-net
    Then from client, 30 HTTP requests to "balanced" are answered by 3 different tasks

  Scenario: a published port is recorded in the service's endpoint on every node
    When I run `docker service create --name my-published --replicas 1 --publish 8080:80 nginx` on manager1
    Then the command succeeds
    And service my-published publishes port 80 as 8080 in mode ingress
    And on every node, network ingress has:
      | Containers["ingress-sbox"].Name | ingress-endpoint |

  @ipvs
  Scenario: a published port answers on every node through the routing mesh
    When I run `docker service create --name my-published --replicas 1 --publish 8080:80 nginx` on manager1
    Then port 8080 answers HTTP on every node

  Scenario: dnsrr returns the task addresses and needs no IPVS
    Given a service my-rr with 3 replicas on network my-network in endpoint mode dnsrr
    Then service my-rr has no virtual IP
    And from every task of my-rr, "my-rr" resolves to the addresses of the tasks of my-rr
    And from every task of my-rr, HTTP to "my-rr" answers
