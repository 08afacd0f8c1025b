@regressions
Feature: Service DNS and the mesh on the run's iptables backend
  Docker programs the embedded DNS server's redirection and the overlays' filtering
  through iptables, and a release broke service DNS with the nft backend only
  (moby#50129, 28.2.2). Which backend the nodes use is a run setting,
  SWARMNET_IPTABLES=nft|legacy (auto: nft where the kernel gives it a nat table,
  else legacy), and an axis of `npm run matrix` (SWARMNET_MATRIX_IPTABLES=nft,legacy),
  so that every feature runs on both. This one checks that the nodes really use it,
  and the name resolution that broke.

  Scenario: the nodes use the run's backend, and service names resolve and answer on it
    Given a swarm with 1 manager and 2 workers
    Then every node's iptables uses this run's backend
    Given an overlay network fw-net
    And a service my-web with 3 replicas on network fw-net
    Then from every task of my-web, "tasks.my-web" resolves to the addresses of the tasks of my-web
    And from every task of my-web, HTTP to every other task answers
