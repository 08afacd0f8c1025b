@regressions @fresh-cluster
Feature: Dual-stack overlays: what each engine does with IPv6
  An overlay created with --ipv6 and an IPv6 subnet should give every task an address
  in each of its subnets from the swarm's allocator, so that tasks on different nodes
  reach each other over IPv6 (the VXLAN underlay stays IPv4). Docker releases broke
  IPv6 on overlays (moby#48116 in 27.x, #52469). Neither the lab network nor the
  kernel is in the way (IPv6 works inside a node's overlay namespace); the
  engines are:
  - 20.10 and 26.1 start the tasks, but the swarm gives each task one address, from
    one subnet or the other (a coin flip, seen per task and per run), and each node's own allocator
    makes up the other family. Those repeat across nodes: fd00:7::3 on every node
    when the swarm gave IPv4, and once, on 26.1, two tasks both at 10.0.7.2 with the
    same MAC address when it gave IPv6. So tasks cannot be told apart by the
    addresses the nodes make up;
  - a 20.10 node sometimes rejects a task the swarm gave an IPv6 address ("Invalid
    address fd00:7::23: It does not belong to any of this network's subnets"), and
    the swarm retries every 5 s with a new address, sometimes for minutes on a busy
    machine, hence the 300 s below;
  - 28.5 (Debian's 28.5.2) creates the network, then its allocator fails on the
    subnet ("failed allocating pools and gateway IP for network ...: cannot find
    address pool for poolID:fd00:7::/64/invalid Prefix"), and no task ever starts.
  The first rows say what each engine does with what the swarm's allocator gives, never
  with what a node makes up: how many addresses each task gets, each on its container,
  inside the network's subnets and given to no other task; or, where no task starts,
  the state they stay in and the allocator's error in the manager's log. The last rows
  send the traffic (moby#48116): from every task, HTTP to each task on another node at
  its IPv6 address, with a plain IPv4 overlay beside as the control (every task must
  answer there as itself). The IPv6 address never reaches the task, whether the swarm
  gave it or its node made it up: no answer, or a task on the requester's own node
  that holds the same address. On no engine here does IPv6 cross nodes. IPv4 on the
  dual-stack overlay is reported, not claimed: the swarm's and the nodes' made-up
  addresses collide, so who answers depends on where the tasks run. The matrix shows
  when a new engine line changes either.

  Scenario: an IPv6 subnet given at creation
    Given a swarm with 1 manager and 2 workers
    And an overlay network v6-net with options `--ipv6 --subnet 10.0.7.0/24 --subnet fd00:7::/64`
    And an overlay network v4-net
    When I run `docker service create --detach --no-resolve-image --name my-web --mode global --network v6-net --network v4-net swarmnet/probe:latest httpd -f -p 80 -h /etc` on manager1
    Then within 300 s, the swarm gives each task of my-web addresses on network v6-net, by engine:
      | engine | running | addresses from the swarm | state | manager's log says         |
      | 20.10  | 3       | 1                        |       |                            |
      | 26.1   | 3       | 1                        |       |                            |
      | 28.5   | 0       | -                        | New   | cannot find address pool   |
    And from every task of my-web, HTTP to each task on another node at its IPv6 address on network v6-net reaches it, with network v4-net as the control, by engine:
      | engine | reaches it |
      | 20.10  | no         |
      | 26.1   | no         |
      | 28.5   | -          |
