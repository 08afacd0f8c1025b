@upgrade @fresh-cluster @long
Feature: Upgrading Docker in place, one node at a time
  People upgrade a swarm by upgrading the engine package on each node in turn: the
  daemon restarts on the new binary with the same /var/lib/docker (raft log, network
  database, IPAM state, certificates). Here each node's state lives on a volume, its
  container is replaced by the new engine's image on the same volume, hostname and
  address. Docker's documented way: managers first, each node drained, upgraded and
  made active again. What was created on the old engine must come through unchanged:
  every network's identity and addressing and every service's virtual IPs, and
  afterwards traffic on each kind of overlay (plain, internal, attachable with a
  standalone container started again; the encrypted one needs ESP and has its own
  scenario below). Task addresses are not among the promises: draining replaces
  every task.
  The paths are fixtures/upgrades.json (a unit test keeps the table below in step).

  # moby#47331 (swarm networks with a custom ingress broke after 25.x), moby#41775
  # ("docker_gwbridge does not exist" after 20.10), moby#35941 (an upgraded manager
  # lost its ingress), moby#48069 and moby#50011 (new subnets overlapping old ones).
  Scenario Outline: <from> to <to>: networks and VIPs survive, every kind of overlay carries traffic, new networks overlap nothing
    Given a swarm with a <from> manager and workers on <from> and <from>
    When the ingress network is re-created with options `--subnet 10.99.0.0/24 --opt com.docker.network.driver.mtu=1400`
    And an overlay network plain-net
    And an overlay network custom-net with options `--subnet 10.20.0.0/24 --gateway 10.20.0.254 --ip-range 10.20.0.128/25`
    And an overlay network attach-net with options `--attachable`
    And an overlay network internal-net with options `--internal`
    And an overlay network secret-net with options `--opt encrypted`
    And a service my-web with 3 replicas on network plain-net
    And a service custom-web with 2 replicas on network custom-net
    And a service internal-web with 2 replicas on network internal-net
    And a service secret-web with 2 replicas on network secret-net
    And a service attach-web with 2 replicas on network attach-net
    And a container standalone on worker1 on network attach-net
    And I record the swarm's networks, virtual IPs and task addresses
    When the swarm is upgraded in place to engine <to>, one node at a time, managers first
    Then every node runs engine <to>, and `docker node ls` says so
    And every recorded network is unchanged on every node that has it
    And every service kept its recorded virtual IPs
    And every node has these networks, among others:
      | name            | driver  | scope |
      | bridge          | bridge  | local |
      | docker_gwbridge | bridge  | local |
      | host            | host    | local |
      | ingress         | overlay | swarm |
      | none            | null    | local |
    # Draining moved every task off each node in turn and the swarm does not
    # rebalance by itself: a forced update spreads the tasks again, as Docker's docs say.
    When I run `docker service update --force --detach my-web` on manager1
    Then service my-web has 3 running tasks on 3 different nodes
    And from every task of my-web, HTTP to every other task answers
    And from every task of my-web, "tasks.my-web" resolves to the addresses of the tasks of my-web
    And from every task of internal-web, HTTP to every other task answers
    # Docker keeps a standalone container through the upgrade (stopped with its
    # daemon); started again it is attached anew and reaches the overlay's tasks.
    When container standalone is started again
    Then within 120 s, HTTP reachability on port 80 is:
      | from       | to           | expected |
      | standalone | attach-web.1 | yes      |
      | standalone | attach-web.2 | yes      |
    Given an overlay network after-net
    Then the subnet of network after-net overlaps no other network on any node

    Examples:
      | from    | to    |
      | 20.10.5 | 20.10 |
      | 20.10   | 26.1  |
      | 26.1    | 28.5  |
      | 20.10   | 28.5  |

  # The upgrade people test before they deploy: from Debian's 20.10 to the run's engine
  # (SWARMNET_ENGINE: a line, or Docker's static tarball, .deb files or a moby build;
  # with the default engine it is 20.10 again, an in-place reinstall).
  Scenario: 20.10 to the engine under test: networks and VIPs survive, and the tasks reach each other
    Given a swarm with a 20.10 manager and workers on 20.10 and 20.10
    And an overlay network plain-net
    And a service my-web with 3 replicas on network plain-net
    And I record the swarm's networks, virtual IPs and task addresses
    When the swarm is upgraded in place to engine under test, one node at a time, managers first
    Then every node runs engine under test, and `docker node ls` says so
    And every recorded network is unchanged on every node that has it
    And every service kept its recorded virtual IPs
    When I run `docker service update --force --detach my-web` on manager1
    Then service my-web has 3 running tasks on 3 different nodes
    And from every task of my-web, HTTP to every other task answers
    And from every task of my-web, "tasks.my-web" resolves to the addresses of the tasks of my-web

  # The encrypted overlay's traffic needs ESP, so it runs where a kernel has it: one
  # worker upgraded in place, the swarm's keys then shared by 20.10 and 26.1 nodes.
  @esp
  Scenario: an encrypted overlay made on 20.10 still carries traffic by ESP after a worker is upgraded in place to 26.1
    Given a swarm with a 20.10 manager and workers on 20.10 and 20.10
    And an overlay network secret-net with options `--opt encrypted`
    And a global service secret-web on network secret-net
    When worker1 is upgraded in place to engine 26.1
    Then within 120 s, HTTP reachability on port 80 is:
      | from                | to                  | expected |
      | secret-web@manager1 | secret-web@worker1  | yes      |
      | secret-web@worker1  | secret-web@worker2  | yes      |
      | secret-web@worker2  | secret-web@manager1 | yes      |
    And every node running a task of secret-web has ESP security associations that carried traffic
