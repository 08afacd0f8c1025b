@faults @fresh-cluster
Feature: A swarm split into two islands
  libnetwork's networkdb TestNetworkDBIslands splits a cluster into islands and heals
  it. Here the lab network between five nodes fails like a switch between two racks:
  three nodes (two of the three managers) on one side, two on the other. The side
  with a quorum of managers keeps a leader and takes changes; on each side the tasks
  keep reaching each other; across the split nothing does, and after it everything
  does again and the other side has the changes made meanwhile.

  Scenario: split 3 against 2, each side's tasks keep talking, the quorum side takes changes, and the swarm heals
    Given a swarm with 3 managers and 2 workers
    And an overlay network my-network
    And a global service my-web on network my-network
    When the lab network is split between manager1, manager2 and worker1 on one side and manager3 and worker2 on the other
    Then HTTP reachability on port 80 is:
      | from            | to              | expected |
      | my-web@manager1 | my-web@worker1  | yes      |
      | my-web@worker1  | my-web@manager2 | yes      |
      | my-web@manager3 | my-web@worker2  | yes      |
      | my-web@worker2  | my-web@manager3 | yes      |
      | my-web@manager1 | my-web@worker2  | no       |
      | my-web@worker1  | my-web@manager3 | no       |
      | my-web@worker2  | my-web@manager1 | no       |
      | my-web@manager3 | my-web@worker1  | no       |
    And within 60 s, the swarm reports worker2 as Down
    When I run `docker network create --driver overlay during-split` on manager1
    Then the command succeeds
    When the cut is lifted
    Then within 60 s, the swarm reports worker2 as Ready
    And within 120 s, HTTP reachability on port 80 is:
      | from            | to              | expected |
      | my-web@manager1 | my-web@worker2  | yes      |
      | my-web@worker1  | my-web@manager3 | yes      |
      | my-web@worker2  | my-web@manager1 | yes      |
      | my-web@manager3 | my-web@worker1  | yes      |
    And within 60 s, `docker network inspect during-split` on manager3 succeeds
