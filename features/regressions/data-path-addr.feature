@regressions @fresh-cluster
Feature: VXLAN traffic on its own network with --data-path-addr
  Docker 17.06 let a swarm keep its VXLAN data traffic off the management network:
  `docker swarm init/join --data-path-addr`. Here every node has a second interface
  on a data network, and the swarm is formed with --advertise-addr on the lab
  network and --data-path-addr on the data network. Gossip stays on the advertise
  address (an overlay's Peers), the VXLAN devices send to the other nodes'
  data-path addresses, and the kernel's counters show which interface the
  encapsulated packets really leave by.

  Scenario: overlay traffic leaves by the data-path address, and only by it
    Given a swarm with 1 manager and 2 workers, its VXLAN traffic on a data network
    And an overlay network data-net
    And a global service my-web on network data-net
    Then on every node running a task of my-web, the Peers of network data-net are the advertise addresses of those nodes
    And on every node running a task of my-web, the VXLAN device of network data-net sends to the data-path addresses of the other nodes
    When every node counts the VXLAN packets it sends, by interface
    Then from every task of my-web, HTTP to every other task answers
    And every node running a task of my-web sent VXLAN packets by its data-path address and none by its advertise address

  Scenario: an unspecified data-path address is refused
    Given 1 Docker host on the lab network without a swarm, to become 1 manager and 0 workers
    When I run `docker swarm init --advertise-addr ${manager1.address} --data-path-addr 0.0.0.0` on manager1
    Then the command fails with "data path address must be a non-zero IP address or network interface"
