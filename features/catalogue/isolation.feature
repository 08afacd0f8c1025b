@catalogue
Feature: Isolation between overlays
  Tasks reach each other only over a network they share; a task on two overlays
  reaches both sides. An `--internal` overlay has no way out: its tasks cannot reach
  a server outside every overlay (here a web server on a node's host network,
  started by the harness), which tasks of an ordinary overlay reach through
  docker_gwbridge.

  Background:
    Given a swarm with 1 manager and 2 workers
    And an overlay network net-a
    And an overlay network net-b
    And a global service web-a on network net-a
    And a global service web-b on network net-b

  @pr
  Scenario: tasks on two different overlays cannot reach each other
    Then HTTP reachability on port 80 is:
      | from          | to            | expected |
      | web-a@worker1 | web-a@worker2 | yes      |
      | web-b@worker1 | web-b@worker2 | yes      |
      | web-a@worker1 | web-b@worker2 | no       |
      | web-a@worker1 | web-b@worker1 | no       |
      | web-b@worker2 | web-a@worker1 | no       |
      | web-b@worker2 | web-b@worker1 | yes      |

  Scenario: a service on both overlays reaches both
    Given a service bridge-web with 1 replica with options `--network net-a --network net-b --constraint node.hostname==manager1`
    Then HTTP reachability on port 80 is:
      | from                | to            | expected |
      | bridge-web@manager1 | web-a@worker1 | yes      |
      | bridge-web@manager1 | web-b@worker2 | yes      |
      | web-a@worker2       | web-b@worker1 | no       |
      | web-a@worker2       | web-a@worker1 | yes      |

  Scenario: an internal overlay has no route out
    Given an overlay network sealed with options `--internal`
    And a global service web-sealed on network sealed
    And a web server outside on the host network of manager1
    Then HTTP reachability on port 80 is:
      | from               | to                 | expected |
      | web-sealed@worker1 | web-sealed@worker2 | yes      |
      | web-a@worker1      | outside            | yes      |
      | web-sealed@worker1 | outside            | no       |
      | web-sealed@worker2 | outside            | no       |
      | web-sealed@worker2 | web-sealed@worker1 | yes      |
