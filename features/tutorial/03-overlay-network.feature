@tutorial
Feature: Creating an overlay network
  `docker network create --driver overlay` on a manager makes a swarm-scoped network
  with its own subnet and VXLAN id; it reaches other nodes only when tasks need it.

  Background:
    Given a swarm with 1 manager and 2 workers

  @pr
  Scenario: the network appears on the manager with scope swarm
    When I run on manager1:
      """
      docker network create \
        --driver overlay \
        my-network
      """
    Then the command succeeds
    When I run `docker network ls` on manager1
    Then the output table has rows:
      | NAME       | DRIVER  | SCOPE |
      | my-network | overlay | swarm |
      | ingress    | overlay | swarm |

  Scenario: creating it again fails with Docker's error
    Given an overlay network my-network
    When I run `docker network create --driver overlay my-network` on manager1
    Then the command fails with "network with name my-network already exists"

  Scenario: its inspect output matches the tutorial's
    Given an overlay network my-network
    Then network my-network on manager1 has:
      | Name                                                      | my-network  |
      | Scope                                                     | swarm       |
      | Driver                                                    | overlay     |
      | EnableIPv6                                                | false       |
      | Internal                                                  | false       |
      | Attachable                                                | false       |
      | Ingress                                                   | false       |
      | IPAM.Driver                                               | default     |
      | IPAM.Config[0].Subnet                                     | 10.0.1.0/24 |
      | IPAM.Config[0].Gateway                                    | 10.0.1.1    |
      | Options["com.docker.network.driver.overlay.vxlanid_list"] | 4097        |
    And network my-network on manager1 has no endpoints
