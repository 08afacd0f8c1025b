@regressions
Feature: Subnets handed out after networks come and go overlap nothing
  Guards docker/cli#5204 and moby#48069 (27.0) and moby#50011 (28.1.1): overlays got
  subnets that overlapped networks already on a node once others had been removed.
  Every network of every node is compared, bridges and docker_gwbridge included.
  Whether a freed subnet is handed out again differs by engine: 28.5 gives the
  removed network's 10.0.1.0/24 to the next overlay; 20.10.5, 20.10 and 26.1 move on
  to 10.0.3.0/24 (the scenario below states each engine's answer).

  Scenario: an overlay created after another was removed overlaps no network on any node
    Given a swarm with 1 manager and 2 workers
    And an overlay network first-net
    And a global service first-web on network first-net
    And an overlay network second-net
    And a global service second-web on network second-net
    When I run `docker service rm first-web` on manager1
    Then within 60 s, `docker network rm first-net` on manager1 succeeds
    Given an overlay network third-net
    And a global service third-web on network third-net
    Then the subnet of network third-net overlaps no other network on any node
    And the subnet of network second-net overlaps no other network on any node
    When I run `docker network inspect --format '{{(index .IPAM.Config 0).Subnet}}' third-net` on manager1
    Then the output contains, by engine:
      | engine  | text        |
      | 20.10.5 | 10.0.3.0/24 |
      | 20.10   | 10.0.3.0/24 |
      | 26.1    | 10.0.3.0/24 |
      | 28.5    | 10.0.1.0/24 |

  Scenario: overlays created and removed in cycles never overlap a network on any node
    Given a swarm with 1 manager and 2 workers
    And an overlay network keep-net
    And a global service keep-web on network keep-net
    When 5 overlays are created and removed one after another, each with a global service on it
    Then none of those overlays overlapped another network on any node
    And the subnet of network keep-net overlaps no other network on any node
