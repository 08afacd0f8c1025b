@regressions @fresh-cluster @long
Feature: Traffic between nodes after churn, and long after a partition heals
  Docker releases lost cross-node traffic after tasks came and went many times, or
  minutes after a partition healed: the peer entries Docker installs went missing,
  and traffic kept flowing only while the kernel still remembered what its bridge
  had learned from earlier packets (moby#50232 and #49908 in 28.2.x; #52661). So
  the mesh is checked after ten rounds of churn, and again once every entry learned
  from traffic has aged out (the kernel forgets after 300 s without packets): then
  only what Docker installed can carry it.

  Background:
    Given a swarm with 1 manager and 2 workers
    And an overlay network churn-net

  Scenario: ten rounds of scaling to 0 and back and a forced update, then the full mesh
    Given a service my-web with 3 replicas on network churn-net
    When service my-web is scaled to 0 and back to 3, then force-updated, 10 times
    Then from every task of my-web, HTTP to every other task answers

  Scenario: the mesh answers after a partition heals and the kernel has forgotten what it learned
    Given a global service my-web on network churn-net
    And from every task of my-web, HTTP to every other task answers
    When worker2 loses all its traffic
    Then within 60 s, the swarm reports worker2 as Down
    When the cut is lifted
    Then within 60 s, the swarm reports worker2 as Ready
    When the forwarding entries the nodes learned from traffic on network churn-net have aged out
    Then from every task of my-web, HTTP to every other task answers
