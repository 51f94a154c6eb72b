import { build } from "esbuild";
import { join } from "node:path";

/** Bundles the agent (and the AWS SDK it uses) into one agent.js that runs on a bare `node` (>= 20). */
export async function bundleAgent(outfile: string): Promise<void> {
  await build({
    entryPoints: [join(__dirname, "agent.ts")],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    mainFields: ["module", "main"],
    logLevel: "warning",
  });
}
