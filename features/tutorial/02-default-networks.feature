@tutorial
Feature: The default networks of a swarm
  After `swarm init` and `swarm join`, every node has five networks: the local
  bridge, host and none, the swarm-scoped `ingress` overlay that carries the routing
  mesh, and `docker_gwbridge`, which connects each task to its own host.

  Background:
    Given a swarm with 1 manager and 2 workers

  Scenario: every node lists the five default networks
    Then every node has exactly these networks:
      | name            | driver  | scope |
      | bridge          | bridge  | local |
      | docker_gwbridge | bridge  | local |
      | host            | host    | local |
      | ingress         | overlay | swarm |
      | none            | null    | local |

  Scenario: `docker network ls` on the manager shows them as in the tutorial
    When I run `docker network ls` on manager1
    Then the output table has exactly these rows:
      | NAME            | DRIVER  | SCOPE |
      | bridge          | bridge  | local |
      | docker_gwbridge | bridge  | local |
      | host            | host    | local |
      | ingress         | overlay | swarm |
      | none            | null    | local |

  Scenario: ingress is the swarm's ingress overlay, with an ingress-sbox endpoint on every node
    Then on every node, network ingress has:
      | Driver                                                     | overlay          |
      | Scope                                                      | swarm            |
      | Ingress                                                    | true             |
      | IPAM.Config[0].Subnet                                      | 10.0.0.0/24      |
      | IPAM.Config[0].Gateway                                     | 10.0.0.1         |
      | Containers["ingress-sbox"].Name                            | ingress-endpoint |
      | Options["com.docker.network.driver.overlay.vxlanid_list"]  | 4096             |

  Scenario: docker_gwbridge connects each running task to its host
    Given an overlay network my-network
    And a service my-web with 3 replicas on network my-network
    Then on every node running a task of my-web, network docker_gwbridge connects that node's tasks
