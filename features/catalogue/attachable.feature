@catalogue
Feature: Standalone containers on an overlay need --attachable
  `docker run --network` refuses a swarm overlay unless it was created with
  `--attachable`; an attached container is a peer like any task and reaches tasks
  on other nodes.

  Background:
    Given a swarm with 1 manager and 2 workers

  Scenario: a standalone container cannot join a non-attachable overlay
    Given an overlay network my-network
    When I run `docker run -d --name loner --network my-network swarmnet/probe sleep 60` on worker1
    Then the command fails with "not manually attachable"

  @pr
  Scenario: on an attachable overlay, an attached container reaches tasks on other nodes
    Given an overlay network my-attachable with options `--attachable`
    And a global service my-web on network my-attachable
    And a container attached on worker1 on network my-attachable
    Then network my-attachable on manager1 has:
      | Attachable | true |
    And HTTP reachability on port 80 is:
      | from     | to              | expected |
      | attached | my-web@manager1 | yes      |
      | attached | my-web@worker2  | yes      |
      | attached | my-web@worker1  | yes      |

  # TestDockerNetworkReConnect (integration/service) and TestSwarmContainerAttachByNetworkId
  # (integration-cli): a running container is connected by the network's id, on a
  # node that has no task on it yet; its alias answers from another node until it is
  # disconnected, and again once it is connected back.
  Scenario: a running container connected by network id with an alias answers to it, not once disconnected, again once reconnected
    Given an overlay network my-attachable with options `--attachable`
    And a container asker on worker1 on network my-attachable
    And a container joiner on worker2 on network bridge
    When I run `docker network connect --alias joined ${my-attachable.network-id} joiner` on worker2
    Then the command succeeds
    And from asker, "joined" resolves to the address of joiner on network my-attachable
    When I run `docker network disconnect my-attachable joiner` on worker2
    Then the command succeeds
    And from asker, "joined" resolves to nothing
    When I run `docker network connect --alias joined my-attachable joiner` on worker2
    Then the command succeeds
    And from asker, "joined" resolves to the address of joiner on network my-attachable
