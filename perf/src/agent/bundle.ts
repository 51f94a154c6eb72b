import { build, type BuildOptions } from "esbuild";
import { join } from "node:path";

/**
 * The one build of the EC2 agent: the Pulumi program uploads it at `pulumi up` and `npm run perf -- fleet`
 * uploads the same bytes again, so neither overwrites the other with something different. Node 22 is what the
 * agents run (Amazon Linux 2023's `nodejs22` package, see infra/src/loadgen/user-data.ts).
 */
/** The agent's source, for the Pulumi program to check it is there. */
export const AGENT_ENTRY = join(__dirname, "agent.ts");

const AGENT_BUILD: BuildOptions = {
  entryPoints: [AGENT_ENTRY],
  bundle: true,
  platform: "node",
  target: "node22",
  format: "cjs",
  mainFields: ["module", "main"],
  legalComments: "none",
  logLevel: "warning",
};

/** The agent (and the AWS SDK it uses) as one agent.js text. */
export async function agentBundle(): Promise<string> {
  const result = await build({ ...AGENT_BUILD, write: false, outfile: "agent.js" });
  const output = result.outputFiles[0];
  if (!output) throw new Error("esbuild produced no agent bundle");
  return output.text;
}

/** Writes the agent bundle to `outfile`. */
export async function bundleAgent(outfile: string): Promise<void> {
  await build({ ...AGENT_BUILD, outfile });
}
