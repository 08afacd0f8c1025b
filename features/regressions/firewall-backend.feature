@regressions
Feature: Service DNS and the mesh on the run's iptables backend
  Docker programs the embedded DNS server's redirection and the overlays' filtering
  through iptables, whose backend (nft or legacy) is the node's choice. Which one the
  nodes use is a run setting, SWARMNET_IPTABLES=nft|legacy (auto: nft where the
  kernel gives it a nat table, else legacy), and an axis of `npm run matrix`
  (SWARMNET_MATRIX_IPTABLES=nft,legacy), so that every feature runs on both. This one
  guards that axis: dockerd's chains are in the run's backend and none in the other
  (a node whose `iptables` points at one backend while dockerd writes the other would
  run every feature on the wrong one), and service names resolve and answer on it.

  Scenario: the nodes' dockerd uses the run's backend, and service names resolve and answer on it
    Given a swarm with 1 manager and 2 workers
    Then every node's dockerd keeps its rules in this run's iptables backend only
    Given an overlay network fw-net
    And a service my-web with 3 replicas on network fw-net
    Then from every task of my-web, "tasks.my-web" resolves to the addresses of the tasks of my-web
    And from every task of my-web, HTTP to every other task answers
