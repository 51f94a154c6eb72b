import { createHttpClient } from "../load/http-client";
import { runOpenLoop } from "../load/open-loop";
import { Recorder } from "../load/recorder";
import { buildSchedule } from "../load/schedule";
import { startSelfCheck } from "../load/self-check";
import { flashSaleExecutor, flashSalePhases } from "../scenario/flash-sale";
import { cognitoFor, shopperEmail, signIn, type Shopper } from "../scenario/shoppers";
import type { AgentResult, AgentScenario } from "./scenario";

/**
 * One agent's part of a fleet run: sign in its shoppers before the start, wait for the shared start
 * time, run the open-loop flash sale, return its recording for upload.
 */
export async function runAgent(
  scenario: AgentScenario,
  instanceId: string,
  log: (line: string) => void,
): Promise<AgentResult> {
  const target = { userPoolId: scenario.userPoolId, clientId: scenario.clientId, region: scenario.region };
  const cognito = cognitoFor(target);
  const picks = new Set<number>();
  const wanted = Math.min(scenario.shoppersPerAgent, scenario.shopperCount);
  while (picks.size < wanted) picks.add(Math.floor(Math.random() * scenario.shopperCount));
  const shoppers: Shopper[] = [];
  const queue = [...picks];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let i = queue.pop(); i !== undefined; i = queue.pop())
        shoppers.push(await signIn(cognito, target, shopperEmail(i), scenario.shopperPassword));
    }),
  );
  cognito.destroy();
  log(`${instanceId}: ${shoppers.length} shoppers signed in; starting at ${new Date(scenario.startAt).toISOString()}`);
  const wait = scenario.startAt - Date.now();
  if (wait < 0)
    log(
      `${instanceId}: WARNING the start time passed ${-wait} ms ago; starting now (this agent's timeline is shifted)`,
    );
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));

  const schedule = buildSchedule(flashSalePhases(scenario.sale), scenario.arrivals);
  const recorder = new Recorder([...schedule.phaseNames], Math.max(scenario.startAt, Date.now()));
  const client = createHttpClient(scenario.apiUrl, {
    connections: scenario.maxInFlight,
    timeoutMs: scenario.timeoutMs,
  });
  const execute = flashSaleExecutor({
    client,
    shoppers,
    sku: scenario.sku,
    options: scenario.sale,
    phaseNames: schedule.phaseNames,
  });
  const monitor = startSelfCheck();
  const state = await runOpenLoop({ schedule, recorder, execute, maxInFlight: scenario.maxInFlight });
  const selfCheck = monitor.finish(recorder, state.dispatchWindowMs, schedule.durationMs);
  await client.close();
  log(
    `${instanceId}: ${recorder.counts.completed} answers, self-check ${selfCheck.valid ? "valid" : `INVALID: ${selfCheck.reasons.join("; ")}`}`,
  );
  return {
    format: "flash-sale-agent-result/1",
    runId: scenario.runId,
    instanceId,
    recording: recorder.toData(),
    selfCheck,
    confirmed: recorder.outcomes.get("purchase 201") ?? 0,
  };
}
