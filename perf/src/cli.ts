import { reportError, USAGE_EXIT_CODE } from "@flash-sale/services/cli";
import { capacityCommand } from "./cli/capacity";
import { collectCommand } from "./cli/collect";
import { costCommand } from "./cli/cost";
import { engineCommand } from "./cli/engine";
import { fleetCommand } from "./cli/fleet";
import { modelCommand } from "./cli/model";
import { runCommand } from "./cli/run";
import { simulateCommand } from "./cli/simulate";
import { watchingCommand } from "./cli/watching";
import { waitingRoomCommand } from "./cli/waiting-room";
import { waitingRoomCostCommand } from "./cli/waiting-room-cost";

const COMMANDS: Record<string, { summary: string; run: (argv: string[]) => Promise<number> }> = {
  run: {
    summary:
      "flash sale against the local stack (default) or a deployed API, audited, with a report; --repeat N runs it N times and judges the median",
    run: runCommand,
  },
  model: {
    summary:
      "hot-partition scale model: the same purchase load with 1 to 32 shards behind a per-partition budget, AWS arithmetic beside",
    run: modelCommand,
  },
  capacity: {
    summary: "the generator's own capacity: requests/s per core against a trivial local endpoint",
    run: capacityCommand,
  },
  fleet: {
    summary: "upload the EC2 agent bundle and a scenario with a shared start time to the results bucket",
    run: fleetCommand,
  },
  collect: {
    summary: "download the agents' results, merge their histograms and counters into one report",
    run: collectCommand,
  },
  engine: {
    summary: "DynamoDB Local's own throughput (purchase-shaped transactions), releases compared in one run, warm",
    run: engineCommand,
  },
  simulate: {
    summary:
      "a sale at AWS scale in virtual time: the real domain over DynamoDB's published rules, Lambda and API Gateway quotas (--validate: against DynamoDB Local; --shard-rate: the per-shard rate plans use)",
    run: simulateCommand,
  },
  cost: { summary: "AWS cost per million purchases and per million sold-out rejections", run: costCommand },
  watching: {
    summary:
      "API, Lambda, DynamoDB and CloudFront load and cost of shoppers watching a sale, before and after the edge-cached feed",
    run: watchingCommand,
  },
  "waiting-room": {
    summary:
      "10x more shoppers than units join a waiting room before the opening; fairness, admission wait, writes of non-admitted attempts, audit (also: --waiting-room)",
    run: waitingRoomCommand,
  },
  "waiting-room-cost": {
    summary:
      "requests/s, write units, Lambda invocations and cost of the waiting room per million joiners (arithmetic)",
    run: waitingRoomCostCommand,
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  return [
    "usage: npm run perf -- [command] [options]     (command defaults to run; every command takes --help)",
    "",
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)} ${c.summary}`),
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  // `npm run perf -- --waiting-room [options]` is the waiting-room command too.
  if (argv.includes("--waiting-room"))
    return waitingRoomCommand(argv.filter((arg) => arg !== "--waiting-room" && arg !== "waiting-room"));
  const [first, ...rest] = argv;
  if (first === "--help" || first === "-h" || first === "help") {
    console.log(usage());
    return 0;
  }
  const named = first !== undefined && !first.startsWith("-");
  const name = named ? first : "run";
  const command = COMMANDS[name];
  if (!command) {
    console.error(`unknown command '${name}'\n\n${usage()}`);
    return USAGE_EXIT_CODE;
  }
  return command.run(named ? rest : argv);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => process.exit(reportError("", error, { stack: true })),
);
