@regressions @fresh-cluster
Feature: Dual-stack overlays: what each engine does with IPv6
  An overlay created with --ipv6 and an IPv6 subnet should give every task an IPv6
  address of its own in that subnet, so that tasks on different nodes reach each
  other over IPv6 (the VXLAN underlay stays IPv4). Docker releases broke IPv6 on
  overlays (moby#48116 in 27.x, #52469). Neither the lab network nor the kernel is
  in the way here (IPv6 works inside a node's overlay namespace); the engines are:
  - 20.10 and 26.1 start the tasks, but the IPv4 addresses come from the swarm's
    allocator and the IPv6 ones from each node's own: the tasks' IPv6 addresses
    repeat across nodes (fd00:7::3 on every node, the load-balancer endpoint
    fd00:7::2, in most runs; once a node gave its task fd00:7::4), so tasks cannot
    be told apart over IPv6;
  - 28.5 (Debian's 28.5.2) creates the network, then its allocator fails on the
    subnet ("failed allocating pools and gateway IP for network ...: cannot find
    address pool for poolID:fd00:7::/64/invalid Prefix"), and no task ever starts.
  So there is no IPv6 between nodes to check on any engine here; the rows below
  say what each does, and the matrix shows when a new engine line changes it.

  # Once, beside another cucumber worker, 20.10 workers rejected its tasks for over 60 s
  # ("Invalid address fd00:7::25: It does not belong to any of this network's subnets");
  # never in a serial run. Until that is understood it runs with nothing beside it.
  @alone
  Scenario: an IPv6 subnet given at creation
    Given a swarm with 1 manager and 2 workers
    And an overlay network v6-net with options `--ipv6 --subnet 10.0.7.0/24 --subnet fd00:7::/64`
    When I run `docker service create --detach --name my-web --mode global --network v6-net nginx` on manager1
    Then within 60 s, the tasks of my-web get IPv6 addresses on network v6-net, by engine:
      | engine | running | distinct IPv6 addresses | inside      | state |
      | 20.10  | 3       | at most 2               | fd00:7::/64 |       |
      | 26.1   | 3       | at most 2               | fd00:7::/64 |       |
      | 28.5   | 0       | -                       |             | New   |
