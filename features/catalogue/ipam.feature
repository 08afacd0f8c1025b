@catalogue
Feature: Overlay address management
  What `docker network create` and `docker swarm init` let you say about addresses:
  the subnet, gateway and allocation range of a network, the pool new overlays are
  carved from, and the MTU of the tasks' interfaces.

  @pr
  Scenario: --subnet, --gateway and --ip-range are honoured, and tasks take addresses in the range
    Given a swarm with 1 manager and 2 workers
    And an overlay network custom with options `--subnet 10.20.0.0/16 --gateway 10.20.0.254 --ip-range 10.20.5.0/24`
    And a service my-web with 3 replicas on network custom
    Then network custom on manager1 has:
      | IPAM.Config[0].Subnet  | 10.20.0.0/16 |
      | IPAM.Config[0].Gateway | 10.20.0.254  |
      | IPAM.Config[0].IPRange | 10.20.5.0/24 |
    And the tasks of my-web have distinct addresses on network custom inside "10.20.5.0/24"

  Scenario: two overlays never overlap, with each other or with ingress
    Given a swarm with 1 manager and 2 workers
    And an overlay network first
    And an overlay network second
    Then the subnets of networks first and second do not overlap
    And the subnets of networks first and ingress do not overlap
    And the subnets of networks second and ingress do not overlap

  Scenario: --default-addr-pool on init changes where new overlays are carved from
    Given 3 Docker hosts on the lab network without a swarm, to become 1 manager and 2 workers
    When I run `docker swarm init --advertise-addr ${manager1.address} --default-addr-pool 10.77.0.0/16 --default-addr-pool-mask-length 26` on manager1
    Then the command succeeds
    When worker1 joins the swarm as a worker
    And I run `docker network create --driver overlay pooled` on manager1
    Then the command succeeds
    And network pooled on manager1 has:
      | IPAM.Config[0].Subnet | 10.77.0.64/26 |
    And network ingress on manager1 has:
      | IPAM.Config[0].Subnet | 10.77.0.0/26 |

  # Docker's documentation says the option sets the containers' MTU. What the tasks
  # get is the option minus the 50 bytes of VXLAN encapsulation, as the default 1450
  # is 1500 minus 50: the option is the MTU of the path between the nodes.
  Scenario: the MTU option, less the VXLAN overhead, reaches the tasks' interfaces
    Given a swarm with 1 manager and 2 workers
    And an overlay network small with options `--opt com.docker.network.driver.mtu=1350`
    And an overlay network standard
    And a service my-web with 3 replicas on network small
    And a service plain-web with 2 replicas on network standard
    Then every task of my-web has MTU 1300 on network small
    And every task of plain-web has MTU 1450 on network standard
