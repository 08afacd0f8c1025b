@faults @fresh-cluster
Feature: Losing managers
  With three managers the raft quorum is two: losing the leader elects another and
  overlay changes go on; losing two stops all changes, with Docker's error, while the
  tasks already running keep talking over the overlay.

  Scenario: stopping the leader elects a new one, and overlay changes still work
    Given a swarm with 3 managers
    And an overlay network my-network
    And a service my-web with 3 replicas on network my-network
    And manager1 is the Leader
    When manager1 is stopped
    Then within 60 s, a manager other than manager1 is the Leader
    When I run `docker network create --driver overlay after-failover` on manager2
    Then the command succeeds
    When I scale service my-web to 4
    Then within 60 s, service my-web is back to 4 running tasks, none on manager1
    And from every task of my-web, HTTP to every other task answers

  Scenario: with quorum lost, changes fail with Docker's error and running tasks keep talking
    Given a swarm with 3 managers and 2 workers
    And an overlay network my-network
    And a global service my-web on network my-network
    When manager2 is stopped
    And manager3 is stopped
    Then within 60 s, `docker node ls` on manager1 fails with "The swarm does not have a leader"
    When I run `docker network create --driver overlay too-late` on manager1
    Then the command fails with "The swarm does not have a leader"
    And HTTP reachability on port 80 is:
      | from            | to              | expected |
      | my-web@manager1 | my-web@worker1  | yes      |
      | my-web@worker1  | my-web@worker2  | yes      |
      | my-web@worker2  | my-web@manager1 | yes      |

  # TestInspectNetwork (moby integration/network): an overlay inspects the same, id, scope,
  # subnet and gateway, from every node, managers and workers alike, and again after
  # the leader changed and the old leader came back.
  Scenario: every node inspects an overlay alike, before and after a leader change
    Given a swarm with 3 managers and 1 worker
    And an overlay network my-network
    And a global service my-web on network my-network
    And manager1 is the Leader
    Then on every node, network my-network has:
      | Id                     | ${my-network.network-id} |
      | Scope                  | swarm                    |
      | Driver                 | overlay                  |
      | IPAM.Config[0].Subnet  | 10.0.1.0/24              |
      | IPAM.Config[0].Gateway | 10.0.1.1                 |
    When manager1 is stopped
    Then within 60 s, a manager other than manager1 is the Leader
    When manager1 boots again
    Then within 60 s, the swarm reports manager1 as Ready
    And within 60 s, service my-web is back to 4 running tasks
    And on every node, network my-network has:
      | Id                     | ${my-network.network-id} |
      | Scope                  | swarm                    |
      | Driver                 | overlay                  |
      | IPAM.Config[0].Subnet  | 10.0.1.0/24              |
      | IPAM.Config[0].Gateway | 10.0.1.1                 |
