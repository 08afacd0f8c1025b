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

  # moby#33790, moby#26060, moby#35548, moby#36878: after a drain, or after a node was
  # lost and removed, the virtual IP kept a share of connections for backends that were
  # gone. Each check below is a batch of requests in a row that must all be answered,
  # by the tasks that run now; the report says how long after the change it came.
  @ipvs @fresh-cluster
  Scenario: after a drain and after a node is removed, every request through the virtual IP is answered by a task that runs
    Given a service spread with 3 replicas on network lb-net
    Then from client, 30 HTTP requests to "spread" are answered by 3 different tasks
    When I run `docker node update --availability drain worker1` on manager1
    Then within 60 s, service spread is back to 3 running tasks, none on worker1
    And within 60 s, from client, 30 HTTP requests in a row to "spread" are all answered, by 3 different tasks
    When worker2 is stopped
    Then within 60 s, the swarm reports worker2 as Down
    When I run `docker node rm worker2` on manager1
    Then the command succeeds
    And within 60 s, service spread is back to 3 running tasks, none on worker2
    And within 60 s, from client, 30 HTTP requests in a row to "spread" are all answered, by 3 different tasks
