@catalogue
Feature: Publishing ports
  `--publish mode=host` binds the port on the node that runs the task and nowhere
  else. Ingress-mode publishing is recorded in the service's endpoint and on the
  ingress network of every node; through the routing mesh it answers on every
  node, which needs IPVS.

  Background:
    Given a swarm with 1 manager and 2 workers

  Scenario: host-mode publishing answers only on the node that runs the task
    Given a service pinned with 1 replica with options `--publish mode=host,published=8080,target=80`
    Then service pinned publishes port 80 as 8080 in mode host
    And port 8080 answers HTTP only on the nodes running a task of pinned

  Scenario: ingress-mode publishing is recorded on every node
    Given a service meshed with 1 replica with options `--publish published=8081,target=80`
    Then service meshed publishes port 80 as 8081 in mode ingress
    And on every node, network ingress has:
      | Containers["ingress-sbox"].Name | ingress-endpoint |

  @ipvs
  Scenario: ingress-mode publishing answers on every node through the routing mesh
    Given a service meshed with 1 replica with options `--publish published=8081,target=80`
    Then port 8081 answers HTTP on every node
