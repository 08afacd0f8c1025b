@regressions
Feature: A VXLAN device's VNI is freed when its namespace is torn down
  Why Docker once failed a task with "error creating vxlan interface: file exists"
  under two cucumber workers. libnetwork creates an overlay's VXLAN device in the
  node's namespace, which keeps the VNI claimed there, and moves the device into the
  overlay's sandbox namespace. A namespace deleted with the device in it is torn down
  later by the kernel, asynchronously and slower under load, and until then the VNI
  cannot be claimed again: a new swarm on a wiped daemon whose overlay gets the same
  VNI fails. So the node entrypoint deletes a wiped daemon's VXLAN devices before it
  unmounts their namespaces; the first scenario is that fix, the second the cause.

  Scenario: a VXLAN device deleted before its namespace frees its VNI at once
    Given a swarm with 1 manager
    When manager1 moves a VXLAN device into a namespace and deletes the device before the namespace, 50 times
    Then its VNI could be claimed again right after, every time

  Scenario: a VXLAN device deleted with its namespace holds its VNI until the kernel has torn the namespace down
    Given a swarm with 1 manager
    When manager1 moves a VXLAN device into a namespace and deletes the namespace with it, 50 times
    Then its VNI was free again within 5 s every time
