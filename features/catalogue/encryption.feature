@catalogue
Feature: Encrypted overlays
  `--opt encrypted` asks for IPsec (ESP) between the nodes of an overlay. The option
  shows in inspect wherever the network is; that the traffic really is ESP needs the
  kernel's ESP support, and is checked on the IPsec security associations' counters.

  Background:
    Given a swarm with 1 manager and 2 workers
    And an overlay network secret with options `--opt encrypted`

  Scenario: the encryption option shows in inspect
    Then network secret on manager1 has:
      | Options.encrypted | |

  @esp @pr
  Scenario: traffic between nodes is carried by ESP
    Given a global service my-web on network secret
    Then on every node, network secret has:
      | Options.encrypted | |
    And from every task of my-web, HTTP to every other task answers
    And every node running a task of my-web has ESP security associations that carried traffic

  # CVE-2023-28840 (GHSA-232p-vwff-86mp, fixed in 20.10.24 and 23.0.3): a node accepted
  # plain VXLAN packets for an encrypted overlay's VNI, so anyone who could reach its
  # VXLAN port could inject traffic into the overlay. The same packet for an
  # unencrypted overlay is delivered: that shows the crafted packet is a valid one.
  @esp
  Scenario: a plain VXLAN packet for an encrypted overlay's VNI, sent from outside, is dropped
    Given an overlay network open with options `--attachable`
    And an overlay network sealed with options `--opt encrypted --attachable`
    And a UDP listener open-listener on worker1 on network open
    And a UDP listener sealed-listener on worker1 on network sealed
    And a container sender on worker2 on network sealed
    When a plain VXLAN packet for network open, addressed to open-listener, is sent to its node from the host network of manager1
    Then within 10 s, open-listener has received the datagram injected into open
    When sender sends a UDP datagram to sealed-listener on network sealed
    Then within 30 s, sealed-listener has received the datagram sent on sealed
    When a plain VXLAN packet for network sealed, addressed to sealed-listener, is sent to its node from the host network of manager1
    Then for 10 s, sealed-listener does not receive the datagram injected into sealed
