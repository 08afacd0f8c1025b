@smoke
Feature: A swarm of Docker-in-Docker nodes comes up
  swarmnet starts real Docker engines in containers on a lab network, forms a swarm
  with real join tokens and hands it over only when every node is Ready.

  @pr
  Scenario: One manager and two workers form a swarm with one Leader
    Given a swarm with 1 manager and 2 workers
    Then the swarm has 3 Ready nodes
    And manager1 is the Leader
    And `docker node ls` on manager1 shows:
      | hostname | status | availability | manager status |
      | manager1 | Ready  | Active       | Leader         |
      | worker1  | Ready  | Active       |                |
      | worker2  | Ready  | Active       |                |

  Scenario: Three managers form a swarm with one Leader and two Reachable managers
    Given a swarm with 3 managers
    Then `docker node ls` on manager2 shows:
      | hostname | status | manager status |
      | manager1 | Ready  | Leader         |
      | manager2 | Ready  | Reachable      |
      | manager3 | Ready  | Reachable      |

  # Cluster reuse must not change what scenarios see: the same node list, default
  # networks, the first overlay's subnet and VXLAN id, task and lb addresses, VIP, peers.
  @fresh-cluster
  Scenario: A reset cluster is indistinguishable from a fresh one
    Given a swarm with 1 manager and 2 workers
    Then after a reset, the cluster looks to a scenario exactly as it did when fresh
