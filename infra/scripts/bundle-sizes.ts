/**
 * Prints each Lambda bundle's size and how many of its sources come from outside services/src
 * (the local stack, tests, benches): `npx tsx infra/scripts/bundle-sizes.ts`.
 */
import { build } from "esbuild";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { lambdaBuildOptions, outputOf } from "../src/bundle";

const entries = process.argv[2] ?? join(__dirname, "../../services/src/functions");

async function main(): Promise<void> {
  for (const file of readdirSync(entries)
    .filter((name) => name.endsWith(".ts") && name !== "container.ts")
    .sort()) {
    const out = outputOf(await build(lambdaBuildOptions(join(entries, file), "node22")));
    const sources = (JSON.parse(out.map) as { sources: string[] }).sources.filter((s) => !s.includes("node_modules"));
    const outside = sources.filter((s) => !s.includes("services/src/") && !s.startsWith("flash-sale:"));
    console.log(
      `${file.padEnd(22)} ${String(out.code.length).padStart(8)} bytes  ${sources.length} own sources, ${outside.length} from outside services/src ${outside.join(" ")}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
