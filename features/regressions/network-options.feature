@regressions
Feature: Network and DNS options are honoured and kept
  What a user sets on an overlay or a service must reach the tasks, on every node,
  and survive updates. From moby's TestDNSConfig and TestDNSConfigUpdate
  (integration/service) and its overlay IPAM and VXLAN tests
  (integration/network), checked here across nodes.

  Background:
    Given a swarm with 1 manager and 2 workers

  Scenario: --dns, --dns-search and --dns-option reach every task and follow an update
    Given an overlay network my-network
    And a service my-web with 2 replicas with options `--network my-network --dns 10.0.9.53 --dns-search example.org --dns-option timeout:3`
    # The tasks ask Docker's embedded DNS (127.0.0.11), which forwards to --dns.
    Then every task of my-web has these lines in its resolv.conf:
      """
      nameserver 127.0.0.11
      search example.org
      options timeout:3 ndots:0
      """
    When service my-web is updated with `--dns-search-rm example.org --dns-search-add example.net --dns-option-add attempts:2`
    Then every task of my-web has these lines in its resolv.conf:
      """
      nameserver 127.0.0.11
      search example.net
      options attempts:2 timeout:3 ndots:0
      """

  @pr
  Scenario: a VXLAN id the user chose is used on every node
    Given an overlay network vx-net with options `--opt com.docker.network.driver.overlay.vxlanid_list=4242`
    And a global service my-web on network vx-net
    Then on every node, network vx-net has:
      | Options["com.docker.network.driver.overlay.vxlanid_list"] | 4242 |
    And on every node running a task of my-web, the VXLAN device of network vx-net has the network's VXLAN id and UDP port 4789
    And from every task of my-web, HTTP to every other task answers

  Scenario: an IPAM option is kept after tasks attach, and a gateway outside the subnet is refused
    Given an overlay network ipam-net with options `--ipam-opt swarmnet.test=kept`
    And a global service my-web on network ipam-net
    Then on every node, network ipam-net has:
      | IPAM.Options["swarmnet.test"] | kept |
    When I run `docker network create --driver overlay --subnet 10.30.0.0/24 --gateway 10.31.0.1 bad-gateway` on manager1
    Then the command fails with "no matching subnet for gateway 10.31.0.1"
