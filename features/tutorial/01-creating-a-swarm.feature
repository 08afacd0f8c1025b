@tutorial
Feature: Creating a swarm
  As in Docker's swarm networking walkthrough: `docker swarm init` on the first host
  makes it a manager and prints the command that joins workers to it; hosts join with
  the real tokens, and `docker node ls` on the manager shows them.

  Background:
    Given 3 Docker hosts on the lab network without a swarm, to become 1 manager and 2 workers

  Scenario: swarm init makes the node a manager and prints the worker join command
    When I run `docker swarm init --advertise-addr ${manager1.address} --listen-addr 0.0.0.0` on manager1
    Then the command succeeds
    And the output matches the pattern "^Swarm initialized: current node \(${manager1.id}\) is now a manager\.$"
    And the output matches the pattern "^\s*docker swarm join --token SWMTKN-1-[0-9a-z]+-[0-9a-z]+ ${manager1.address}:2377$"
    And the output contains "To add a manager to this swarm, run 'docker swarm join-token manager' and follow the instructions."

  Scenario: the new manager is Ready, Active and the Leader, running the engine it reports
    When manager1 initialises the swarm
    Then `docker node ls` on manager1 shows:
      | hostname | status | availability | manager status |
      | manager1 | Ready  | Active       | Leader         |
    And `docker node ls` on manager1 shows each node's engine version as its daemon reports it

  Scenario: workers join with the worker token
    When manager1 initialises the swarm
    And I run `docker swarm join --token ${worker-token} ${manager1.address}:2377` on worker1
    Then the command succeeds
    And the output contains "This node joined a swarm as a worker."
    When worker2 joins the swarm as a worker
    Then `docker node ls` on manager1 shows:
      | hostname | status | availability | manager status |
      | manager1 | Ready  | Active       | Leader         |
      | worker1  | Ready  | Active       |                |
      | worker2  | Ready  | Active       |                |

  Scenario: a host joins as a manager with the manager token
    When manager1 initialises the swarm
    And I run `docker swarm join --token ${manager-token} ${manager1.address}:2377` on worker1
    Then the command succeeds
    And the output contains "This node joined a swarm as a manager."
    And `docker node ls` on manager1 shows:
      | hostname | status | availability | manager status |
      | manager1 | Ready  | Active       | Leader         |
      | worker1  | Ready  | Active       | Reachable      |

  Scenario: a join token of another swarm is rejected
    When manager1 initialises the swarm
    And I run `docker swarm join --token SWMTKN-1-3td3sv7hm8xmjcd3kxsbpoju4vhs7nxzv79qwx3z43ne4usf1h-c8x19d535nd5yu2d8z4kkde09 ${manager1.address}:2377` on worker1
    Then the command fails with "remote CA does not match fingerprint"
    And the swarm has 1 Ready node
