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
