@catalogue
Feature: Service virtual IPs
  In the default endpoint mode (vip), a service name resolves to one virtual IP and
  IPVS spreads connections to it over the tasks. Traffic through a VIP needs the
  kernel's IPVS; these scenarios run on a kernel that has it.

  Background:
    Given a swarm with 1 manager and 2 workers
    And an overlay network lb-net with options `--attachable`
    And a container client on manager1 on network lb-net

  # moby#25985, moby#28564: a VIP that resolved but did not reach (all of) the tasks.
  @ipvs @pr
  Scenario: in endpoint mode vip, the name resolves to the VIP and traffic to it reaches every task
    Given a service spread with 3 replicas with options `--network lb-net --endpoint-mode vip`
    Then service spread has a virtual IP on network lb-net inside the network's subnet
    And from every task of spread, "spread" resolves to the virtual IP of spread
    And from client, 30 HTTP requests to "spread" are answered by 3 different tasks

  # moby#26672, moby#30321, moby#38841: during a rolling update, tasks being replaced
  # stayed in the VIP's rotation and requests to them failed. Docker takes a task out
  # of the load balancer before stopping it (since 18.03); with start-first the new
  # task answers before the old one goes. The client's node learns of a removal by
  # gossip: on the UML kernel under load, one request of about 100 once failed in that
  # window (the bugs above failed a third of them while tasks were replaced).
  @ipvs
  Scenario: a VIP answers all but at most one request while a start-first rolling update replaces every task
    Given a service rolling with 3 replicas on network lb-net
    When service rolling is updated with `--update-order start-first --update-parallelism 1 --force` while client keeps requesting "rolling" over HTTP
    Then at most 1 request of the client failed
    And within 60 s, service rolling is back to 3 running tasks
