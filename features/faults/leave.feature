@faults @fresh-cluster
Feature: A worker leaves the swarm and joins again
  After `docker swarm leave`, the node is Down for the managers, its tasks run
  elsewhere and the other nodes drop it from the overlay's Peers. Joined again (as a
  new node), it gets the overlay back when a task lands on it.

  Background:
    Given a swarm with 1 manager and 2 workers
    And an overlay network my-network
    And a service my-web with 3 replicas on network my-network

  Scenario: leaving drops the node from the peers; rejoining brings the overlay back
    When I run `docker swarm leave` on worker2
    Then the command succeeds
    And within 60 s, the swarm reports worker2 as Down
    And within 60 s, service my-web is back to 3 running tasks, none on worker2
    And within 60 s, no other node lists worker2 among the Peers of network my-network
    When I run `docker swarm join --token ${worker-token} ${manager1.address}:2377` on worker2
    Then the command succeeds
    And within 60 s, the swarm reports worker2 as Ready
    When I run `docker service update --detach --force my-web` on manager1
    Then service my-web has 3 running tasks on 3 different nodes
    And on every node running a task of my-web, the Peers of network my-network are the advertise addresses of those nodes
    And from every task of my-web, HTTP to every other task answers
