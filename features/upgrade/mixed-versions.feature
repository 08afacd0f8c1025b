@upgrade
Feature: Mixed engine versions during a rolling upgrade
  Teams upgrade Docker node by node, so for a while a swarm runs several engine
  versions at once. Overlay networking must keep working across them: the same
  network (subnet, VXLAN id) everywhere, and tasks on every engine reaching each other.

  Scenario: a swarm of 20.10, 26.1 and 28.5 converges and its tasks reach each other
    Given a swarm with a 20.10 manager and workers on 26.1 and 28.5
    Then the swarm has 3 Ready nodes
    And `docker node ls` on manager1 shows each node's engine version as its daemon reports it
    Given an overlay network my-network
    And a service my-web with 3 replicas on network my-network
    Then service my-web has 3 running tasks on 3 different nodes
    And from every task of my-web, HTTP to every other task answers
    And from every task of my-web, "tasks.my-web" resolves to the addresses of the tasks of my-web

  Scenario: manager and workers on different versions see the same network
    Given a swarm with a 20.10 manager and workers on 26.1 and 28.5
    And an overlay network my-network
    And a service my-web with 3 replicas on network my-network
    Then on every node, network my-network has:
      | Scope                                                     | swarm       |
      | IPAM.Config[0].Subnet                                     | 10.0.1.0/24 |
      | IPAM.Config[0].Gateway                                    | 10.0.1.1    |
      | Options["com.docker.network.driver.overlay.vxlanid_list"] | 4097        |

  @pr
  Scenario: a drained worker is replaced by a newer engine and the service recovers
    Given a swarm with a 20.10 manager and workers on 20.10 and 20.10
    And an overlay network my-network
    And a service my-web with 3 replicas on network my-network
    When I run `docker node update --availability drain worker1` on manager1
    Then service my-web has 3 running tasks on 2 different nodes
    And from every task of my-web, HTTP to every other task answers
    When worker1 is replaced by a node on engine 28.5
    And I run `docker service update --force --detach my-web` on manager1
    Then service my-web has 3 running tasks on 3 different nodes
    And from every task of my-web, HTTP to every other task answers
