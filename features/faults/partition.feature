@faults @fresh-cluster
Feature: A node cut off from the others
  A global service puts one task on every node, so "my-web@worker2" is always the
  task on worker2. Cutting all of a node's traffic, only its control plane (2377/tcp,
  7946/tcp+udp) or only its data plane (VXLAN, 4789/udp) fail differently; all of
  them heal once the cut is lifted. After a cut that takes the control plane (alone
  or with all traffic) the overlay's gossip (NetworkDB) has to find the node again:
  under load that has taken over a minute, so those heals are given 120 s; the
  report says how long it took. A task cut off reaches only itself: that row is the
  positive control that makes its "no" rows mean something.

  Background:
    Given a swarm with 1 manager and 2 workers
    And an overlay network my-network
    And a global service my-web on network my-network

  Scenario: unplugged from the lab network, a node is lost and comes back
    When worker2 loses all its traffic
    Then HTTP reachability on port 80 is:
      | from            | to              | expected |
      | my-web@manager1 | my-web@worker1  | yes      |
      | my-web@worker1  | my-web@manager1 | yes      |
      | my-web@manager1 | my-web@worker2  | no       |
      | my-web@worker2  | my-web@worker1  | no       |
      | my-web@worker2  | my-web@worker2  | yes      |
    And within 60 s, the swarm reports worker2 as Down
    When the cut is lifted
    Then within 60 s, the swarm reports worker2 as Ready
    And within 120 s, HTTP reachability on port 80 is:
      | from            | to              | expected |
      | my-web@manager1 | my-web@worker2  | yes      |
      | my-web@worker2  | my-web@worker1  | yes      |
      | my-web@worker1  | my-web@manager1 | yes      |

  Scenario: without its data plane, a node stays Ready but its tasks are unreachable
    When worker2 loses its data-plane traffic
    Then HTTP reachability on port 80 is:
      | from            | to              | expected |
      | my-web@manager1 | my-web@worker1  | yes      |
      | my-web@manager1 | my-web@worker2  | no       |
      | my-web@worker2  | my-web@worker1  | no       |
      | my-web@worker2  | my-web@worker2  | yes      |
    # A cut control plane shows the node Down within seconds (see the scenario above): 15 s of Ready says the data-plane cut did not do that.
    And for 15 s, the swarm keeps reporting worker2 as Ready
    When the cut is lifted
    Then HTTP reachability on port 80 is:
      | from            | to              | expected |
      | my-web@manager1 | my-web@worker2  | yes      |
      | my-web@worker2  | my-web@worker1  | yes      |

  Scenario: without its control plane, a node goes Down while the rest keeps working
    When worker2 loses its control-plane traffic
    Then within 60 s, the swarm reports worker2 as Down
    And HTTP reachability on port 80 is:
      | from            | to              | expected |
      | my-web@manager1 | my-web@worker1  | yes      |
      | my-web@worker1  | my-web@manager1 | yes      |
    When the cut is lifted
    Then within 60 s, the swarm reports worker2 as Ready
    And within 120 s, HTTP reachability on port 80 is:
      | from            | to              | expected |
      | my-web@manager1 | my-web@worker2  | yes      |
      | my-web@worker2  | my-web@worker1  | yes      |

  # networkdb TestNodeReincarnation and TestNetworkDBIslands (libnetwork): the manager
  # is cut off from every worker while the workers still see each other. Gossip and
  # VXLAN between workers need no manager, so their tasks keep reaching each other;
  # the manager reports both Down; after the cut every task reaches every other.
  Scenario: the manager cut off from all workers: the workers' tasks keep talking, and all of it heals
    When the lab network is split between manager1 on one side and worker1 and worker2 on the other
    Then HTTP reachability on port 80 is:
      | from            | to              | expected |
      | my-web@worker1  | my-web@worker2  | yes      |
      | my-web@worker2  | my-web@worker1  | yes      |
      | my-web@worker1  | my-web@manager1 | no       |
      | my-web@manager1 | my-web@worker2  | no       |
      | my-web@manager1 | my-web@manager1 | yes      |
    And within 60 s, the swarm reports worker1 as Down
    And within 60 s, the swarm reports worker2 as Down
    When the cut is lifted
    Then within 60 s, the swarm reports worker1 as Ready
    And within 60 s, the swarm reports worker2 as Ready
    And within 120 s, HTTP reachability on port 80 is:
      | from            | to              | expected |
      | my-web@manager1 | my-web@worker1  | yes      |
      | my-web@manager1 | my-web@worker2  | yes      |
      | my-web@worker1  | my-web@manager1 | yes      |
      | my-web@worker2  | my-web@manager1 | yes      |
