// `npm run node -- <node> [command ...]`: runs a command (default `docker node ls`) on
// a node of a cluster kept after a failed scenario (SWARMNET_KEEP=on-failure), the way
// the harness did, and prints what it said. Its exit code is the command's.
import { KeptNodeError, findKeptNode, readKept, runOnKeptNode } from "../support/cluster/kept-cluster.js";
import { reportDirs } from "../support/run/uml-pass.js";

async function main([name, ...command]: string[]): Promise<number> {
  if (!name) {
    process.stderr.write("usage: npm run node -- <node> [command ...]  (a node of a kept cluster)\n");
    return 2;
  }
  let node;
  try {
    node = findKeptNode(await readKept(reportDirs()), name);
  } catch (error) {
    if (!(error instanceof KeptNodeError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  const result = await runOnKeptNode(node, command.length > 0 ? command : ["docker", "node", "ls"]);
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  return result.exitCode;
}

process.exitCode = await main(process.argv.slice(2));
