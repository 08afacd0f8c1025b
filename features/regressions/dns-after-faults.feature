@regressions @fresh-cluster
Feature: Service names resolve again after a node comes back
  Guards moby#53141 (fixed by moby#53142): after a node was cut off for 10-30 s and
  came back, `<svc>` and `tasks.<svc>` stopped resolving on some nodes until a
  `docker service update --force`; and moby#42833 and moby#41405: after one task's
  container died on a node that stayed up, other nodes kept the old task's record or
  never learnt the new one's. A global service puts one task on every node,
  so every node's resolver is asked; each claim about "every task" first waits until
  the service runs a task on every Ready node, the one that came back included.

  Background:
    Given a swarm with 1 manager and 2 workers
    And an overlay network my-network
    And a global service my-web on network my-network

  Scenario: after a node is cut off until the swarm reports it Down, names resolve on every node again
    When worker2 loses all its traffic
    Then within 60 s, the swarm reports worker2 as Down
    When the cut is lifted
    Then within 60 s, the swarm reports worker2 as Ready
    And within 60 s, service my-web is back to 3 running tasks
    And within 120 s, from every task of my-web, "tasks.my-web" resolves to the addresses of the tasks of my-web
    And from every task of my-web, "my-web" resolves to the virtual IP of my-web

  Scenario: after a node's daemon restarts, names resolve on every node again
    When the Docker daemon on worker1 restarts
    Then within 60 s, service my-web is back to 3 running tasks
    And within 120 s, from every task of my-web, "tasks.my-web" resolves to the addresses of the tasks of my-web
    And from every task of my-web, "my-web" resolves to the virtual IP of my-web

  Scenario: after a task's container is killed on a node that stays up, names resolve on every node again
    When the container of the task of my-web on worker1 is killed
    Then within 60 s, worker1 runs a new task of my-web
    And within 60 s, service my-web is back to 3 running tasks
    And within 60 s, from every task of my-web, "tasks.my-web" resolves to the addresses of the tasks of my-web
    And from every task of my-web, "my-web" resolves to the virtual IP of my-web
