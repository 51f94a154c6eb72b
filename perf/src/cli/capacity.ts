import { fork } from "node:child_process";
import { join } from "node:path";
import { createHttpClient, errorLabel, outcomeLabel } from "../load/http-client";
import { summarize } from "../load/histograms";
import { runOpenLoop } from "../load/open-loop";
import { Recorder } from "../load/recorder";
import { buildSchedule } from "../load/schedule";
import { startSelfCheck, type SelfCheck } from "../load/self-check";
import { helpText, parseOptions, type OptionSpecs } from "@flash-sale/services/cli";

const CAPACITY_OPTIONS = {
  rates: {
    type: "number",
    list: true,
    positive: true,
    default: "1000,2000,4000,6000,8000,12000",
    help: "target rates to try in turn (requests/s), comma-separated",
  },
  seconds: { type: "number", positive: true, default: 4, help: "seconds per rate" },
  "max-in-flight": { type: "number", default: 1000, help: "in-flight cap (also the keep-alive socket count)" },
} satisfies OptionSpecs;

interface Step {
  rate: number;
  check: SelfCheck;
  p99Ms: number;
  perCore: number;
}

/**
 * How fast this generator can send: open-loop GETs against a trivial server in another process, at
 * rising rates, until its own self-check says it fell behind. Reports requests/s per core of its CPU.
 */
export async function capacityCommand(argv: string[]): Promise<number> {
  const options = parseOptions(argv, CAPACITY_OPTIONS);
  if (options.help) {
    console.log(
      helpText(
        "npm run perf -- capacity [options]",
        'The load generator\'s own capacity against a trivial local HTTP endpoint (a child process answering 200 "ok"): requests/s it sustains with a valid self-check, and requests/s per core of the CPU it used.',
        CAPACITY_OPTIONS,
      ),
    );
    return 0;
  }
  const rates = options.rates;
  const seconds = options.seconds;
  const server = fork(join(__dirname, "../capacity/trivial-server.ts"), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once("message", (message: { port: number }) => resolve(message.port));
    server.once("exit", (code) => reject(new Error(`the trivial server exited (code ${code})`)));
  });
  const client = createHttpClient(`http://127.0.0.1:${port}`, {
    connections: options["max-in-flight"],
    timeoutMs: 10_000,
  });
  const steps: Step[] = [];
  try {
    console.log("target/s  achieved/s  cpu cores  req/s per core  loop delay p99 ms  latency p99 ms  valid");
    for (const rate of rates) {
      const schedule = buildSchedule([
        { name: "load", profile: { kind: "constant", rate, durationMs: seconds * 1000 } },
      ]);
      const recorder = new Recorder(["load"], Date.now());
      const monitor = startSelfCheck();
      const state = await runOpenLoop({
        schedule,
        recorder,
        maxInFlight: options["max-in-flight"],
        execute: () => ({
          kind: "get",
          done: client.request("GET", "/", {}).then(
            (r) => outcomeLabel("get", r),
            (e: unknown) => errorLabel("get", e),
          ),
        }),
      });
      const check = monitor.finish(recorder, state.dispatchWindowMs, schedule.durationMs);
      const step = {
        rate,
        check,
        p99Ms: summarize(recorder.histogram("all")).p99,
        perCore: Math.round(check.achievedRate / Math.max(check.cpuCores, 0.01)),
      };
      steps.push(step);
      console.log(
        `${String(rate).padStart(8)}  ${String(check.achievedRate).padStart(10)}  ${check.cpuCores.toFixed(2).padStart(9)}  ${String(step.perCore).padStart(14)}  ${String(check.eventLoopLagMs.p99).padStart(17)}  ${String(step.p99Ms).padStart(14)}  ${check.valid ? "yes" : `NO: ${check.reasons.join("; ")}`}`,
      );
      if (!check.valid) break;
    }
  } finally {
    await client.close();
    server.disconnect();
  }
  const best = steps.filter((s) => s.check.valid).pop();
  if (best)
    console.log(
      `\ngenerator capacity: ${best.check.achievedRate} requests/s sustained with a valid self-check, ${best.perCore} requests/s per core of generator CPU (${best.check.cpuCores} cores used)`,
    );
  else console.log("\nthe generator could not sustain even the lowest rate with a valid self-check");
  return 0;
}
