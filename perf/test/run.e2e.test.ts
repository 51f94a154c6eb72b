import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseOptions } from "@flash-sale/services/cli";
import { runFlashSale } from "../src/run/flash-sale";
import { RUN_OPTIONS } from "../src/run/options";

// Read when used, so setting them here (after the imports) still applies. Keep the test's shopper cache and report out of perf/.cache and perf/results.
const scratch = mkdtempSync(join(tmpdir(), "perf-e2e-"));
process.env.PERF_CACHE_DIR = join(scratch, "cache");
process.env.PERF_RESULTS_DIR = join(scratch, "results");

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("npm run perf against the local stack", () => {
  it("runs a small flash sale whose audit passes and whose outcomes add up", async () => {
    const options = parseOptions(
      [
        "--fresh",
        "--quiet",
        "--shoppers",
        "15",
        "--units",
        "12",
        "--listing-rate",
        "10",
        "--listing-seconds",
        "1",
        "--burst-rate",
        "40",
        "--burst-seconds",
        "2",
        "--tail-rate",
        "20",
        "--tail-seconds",
        "1",
        "--engine-seconds",
        "0",
        "--lag-limit-ms",
        "1000",
      ],
      RUN_OPTIONS,
    );

    const { summary, dir, exitCode } = await runFlashSale(options, () => undefined);

    expect(summary.audit?.violations).toEqual([]);
    const product = summary.audit?.products.find((p) => p.sku === summary.scenario.sku);
    expect(product).toEqual(expect.objectContaining({ loadedUnits: 12, unitsSold: 12, orderedUnits: 12 }));
    const answered = Object.values(summary.outcomes).reduce((sum, n) => sum + n, 0);
    expect(answered).toBe(summary.requests.scheduled);
    expect(summary.requests.completed).toBe(summary.requests.dispatched);
    expect(summary.outcomes["purchase 409 SOLD_OUT"]).toBeGreaterThan(0);
    expect(
      Object.keys(summary.outcomes).filter((label) => / (5\d\d|ERR|401)/.test(label) && !label.includes("TRY_AGAIN")),
    ).toEqual([]);
    expect(summary.notes).toContainEqual(
      expect.stringMatching(/^stock watch matched the audit \(available 0, held 0, sold 12, confirmed 12\)/),
    );
    expect(summary.verdict).toBe("PASSED");
    expect(exitCode).toBe(0);
    expect(readFileSync(join(dir, "report.html"), "utf8")).toContain("<svg");
  });
});
