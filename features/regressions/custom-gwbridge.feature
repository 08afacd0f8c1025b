@regressions
Feature: A docker_gwbridge made before the swarm is kept and used
  Docker's documentation ("Customize the docker_gwbridge interface") says to create
  docker_gwbridge yourself, before `swarm init` or `swarm join`, to choose its subnet
  and options; moby#41775 is a release where a node made its own instead. Here every
  node gets a bridge in 10.11.0.0/16 with inter-container traffic off, then the swarm
  is formed, and the tasks' bridge addresses must come from that subnet.

  Scenario: a docker_gwbridge made on every node before the swarm keeps its subnet and options and carries the tasks
    Given 3 Docker hosts on the lab network without a swarm, to become 1 manager and 2 workers
    When I run on manager1:
      """
      docker network create --subnet 10.11.0.0/16 --opt com.docker.network.bridge.name=docker_gwbridge \
        --opt com.docker.network.bridge.enable_icc=false --opt com.docker.network.bridge.enable_ip_masquerade=true \
        docker_gwbridge
      """
    Then the command succeeds
    When I run on worker1:
      """
      docker network create --subnet 10.11.0.0/16 --opt com.docker.network.bridge.name=docker_gwbridge \
        --opt com.docker.network.bridge.enable_icc=false --opt com.docker.network.bridge.enable_ip_masquerade=true \
        docker_gwbridge
      """
    Then the command succeeds
    When I run on worker2:
      """
      docker network create --subnet 10.11.0.0/16 --opt com.docker.network.bridge.name=docker_gwbridge \
        --opt com.docker.network.bridge.enable_icc=false --opt com.docker.network.bridge.enable_ip_masquerade=true \
        docker_gwbridge
      """
    Then the command succeeds
    When manager1 initialises the swarm
    And worker1 joins the swarm as a worker
    And worker2 joins the swarm as a worker
    Then the swarm has 3 Ready nodes
    Given an overlay network my-network
    And a global service my-web on network my-network
    Then on every node, network docker_gwbridge has:
      | IPAM.Config[0].Subnet                              | 10.11.0.0/16 |
      | Options["com.docker.network.bridge.enable_icc"]    | false        |
      | Options["com.docker.network.bridge.name"]          | docker_gwbridge |
    And on every node running a task of my-web, network docker_gwbridge connects that node's tasks at addresses inside "10.11.0.0/16"
    And from every task of my-web, HTTP to every other task answers
