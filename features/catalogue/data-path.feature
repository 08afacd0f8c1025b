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

  # moby#24906, libnetwork#2661: an overlay's MTU is 1450 whatever its underlay's. On
  # an underlay below 1500, the overlay's full-size packets no longer fit in one VXLAN
  # packet. A 1 MB HTTP body still crosses whole (TCP finds the smaller path), and a
  # datagram that fits arrives; but the first datagram of the overlay's full size is
  # dropped, its sender only told "fragmentation needed", and only the next one,
  # fragmented by the sender, arrives. The same datagram crosses at once on the lab's
  # own 1500 (first, as the control).
  Scenario: on an underlay of MTU 1400, a 1 MB body crosses whole, and the first datagram of the overlay's full size is lost
    Given a swarm with 1 manager and 1 worker
    And an overlay network big with options `--attachable`
    And a UDP listener catcher on worker1 on network big
    And a container pitcher on manager1 on network big
    When pitcher sends a 1422-byte UDP datagram to catcher on network big
    Then within 10 s, catcher has received the datagram sent on big
    When the lab network's MTU is lowered to 1400 on every node
    And pitcher sends a 1300-byte UDP datagram to catcher on network big
    Then within 10 s, catcher has received the datagram sent on big
    When pitcher sends a 1422-byte UDP datagram to catcher on network big
    Then for 10 s, catcher does not receive the datagram sent on big
    When pitcher sends a 1422-byte UDP datagram to catcher on network big
    Then within 10 s, catcher has received the datagram sent on big
    Given a global service big-web on network big serving a body of 1048576 bytes
    Then from every task of big-web, the 1048576-byte body of every other task arrives whole
