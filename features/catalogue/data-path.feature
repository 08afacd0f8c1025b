@catalogue
Feature: The overlay's data path: VXLAN
  Each overlay has its own VXLAN id, which `docker network inspect` shows and which
  the VXLAN device in the network's namespace on each node carries. `swarm init
  --data-path-port` moves VXLAN off UDP 4789 and traffic still flows.

  @pr
  Scenario: each overlay's VXLAN id is in inspect and on every node's VXLAN device
    Given a swarm with 1 manager and 2 workers
    And an overlay network my-network
    And an overlay network second
    And a global service my-web on network my-network
    And a global service other-web on network second
    Then network my-network on manager1 has:
      | Options["com.docker.network.driver.overlay.vxlanid_list"] | 4097 |
    And network second on manager1 has:
      | Options["com.docker.network.driver.overlay.vxlanid_list"] | 4098 |
    And on every node running a task of my-web, the VXLAN device of network my-network has the network's VXLAN id and UDP port 4789
    And on every node running a task of other-web, the VXLAN device of network second has the network's VXLAN id and UDP port 4789

  Scenario: --data-path-port moves VXLAN to another UDP port and traffic still flows
    Given 3 Docker hosts on the lab network without a swarm, to become 1 manager and 2 workers
    When I run `docker swarm init --advertise-addr ${manager1.address} --data-path-port 7789` on manager1
    Then the command succeeds
    When worker1 joins the swarm as a worker
    And worker2 joins the swarm as a worker
    And I run `docker info --format {{.Swarm.Cluster.DataPathPort}}` on manager1
    Then the output contains "7789"
    Given an overlay network my-network
    And a global service my-web on network my-network
    Then on every node running a task of my-web, the VXLAN device of network my-network has the network's VXLAN id and UDP port 7789
    And from every task of my-web, HTTP to every other task answers

  # moby#45635 (fixed by moby#45636 in 23.0.7 and 24.0.2): encryption's IPsec policies
  # were hard-wired to UDP 4789, so on another data path port encrypted overlays
  # carried no traffic at all. 20.10 never got the fix: there no task reaches another
  # over the encrypted overlay and no ESP association carries a byte. A plain overlay
  # on the same port, in the same run, is the control: it answers on every engine, so
  # a "no" below is encryption's, not a broken swarm's or probe's.
  @esp
  Scenario: an encrypted overlay on another data path port is carried by ESP (from 23.0.7)
    Given 3 Docker hosts on the lab network without a swarm, to become 1 manager and 2 workers
    When I run `docker swarm init --advertise-addr ${manager1.address} --data-path-port 7789` on manager1
    Then the command succeeds
    When worker1 joins the swarm as a worker
    And worker2 joins the swarm as a worker
    Given an overlay network plain
    And a global service plain-web on network plain
    Then from every task of plain-web, HTTP to every other task answers
    Given an overlay network sealed with options `--opt encrypted`
    And a global service my-web on network sealed
    Then from every task of my-web, HTTP to every other task answers, by engine:
      | engine | answers |
      | 20.10  | no      |
      | 26.1   | yes     |
      | 28.5   | yes     |
    And whether ESP security associations carried traffic on the nodes running a task of my-web, by engine:
      | engine | carried |
      | 20.10  | no      |
      | 26.1   | yes     |
      | 28.5   | yes     |
