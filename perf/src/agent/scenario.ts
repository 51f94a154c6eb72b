import type { FlashSaleOptions } from "../scenario/flash-sale";

/** What `fleet` uploads and every EC2 agent runs: one flash sale, started by all agents at `startAt`. */
export interface AgentScenario {
  format: "flash-sale-agent-scenario/1";
  runId: string;
  /** Epoch ms every agent starts its schedule at (clocks on EC2 are NTP-synchronised). */
  startAt: number;
  apiUrl: string;
  region: string;
  userPoolId: string;
  clientId: string;
  sku: string;
  /** Shoppers the fleet created: shopper-00000@… to shopper-<count-1>@…, all with this password. */
  shopperCount: number;
  shopperPassword: string;
  /** How many of them each agent signs in (a random subset, so agents overlap like real crowds). */
  shoppersPerAgent: number;
  /** Per-agent rates: the fleet offers agents × these. */
  sale: FlashSaleOptions;
  arrivals: "uniform" | "poisson";
  maxInFlight: number;
  timeoutMs: number;
}

export function parseScenario(text: string): AgentScenario {
  const scenario = JSON.parse(text) as AgentScenario;
  if (scenario.format !== "flash-sale-agent-scenario/1")
    throw new Error(`not an agent scenario (format ${String(scenario.format)})`);
  for (const field of ["runId", "startAt", "apiUrl", "userPoolId", "clientId", "sku", "shopperPassword"] as const) {
    if (scenario[field] === undefined || scenario[field] === "") throw new Error(`the scenario has no ${field}`);
  }
  return scenario;
}

export const SCENARIO_KEY = "agent/scenario.json";
export const AGENT_KEY = "agent/agent.js";
export const resultKey = (runId: string, instanceId: string) => `results/${runId}/${instanceId}.json`;

/** What an agent uploads: its recording (HDR histograms encoded) plus its own self-check and counters. */
export interface AgentResult {
  format: "flash-sale-agent-result/1";
  runId: string;
  instanceId: string;
  recording: import("../load/recorder").RecordingData;
  selfCheck: import("../load/self-check").SelfCheck;
  confirmed: number;
}
