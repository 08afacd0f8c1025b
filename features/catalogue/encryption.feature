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

  @esp
  Scenario: traffic between nodes is carried by ESP
    Given a global service my-web on network secret
    Then on every node, network secret has:
      | Options.encrypted | |
    And from every task of my-web, HTTP to every other task answers
    And every node running a task of my-web has ESP security associations that carried traffic
