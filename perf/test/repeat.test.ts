import { repeatVerdict } from "../src/run/repeat";

const run = (ratio: number | undefined, auditOk = true) => ({
  runId: `r${ratio}`,
  verdict: "PASSED" as const,
  auditOk,
  ...(ratio === undefined ? {} : { ratio }),
});

describe("verdict over repeated runs", () => {
  it("passes a median of 0.9 or more with no run below 0.8", () => {
    const verdict = repeatVerdict([run(0.85), run(0.93), run(0.91)]);

    expect(verdict.median).toBe(0.91);
    expect(verdict.passed).toBe(true);
  });

  it("fails a median below 0.9, naming it", () => {
    const verdict = repeatVerdict([run(0.5), run(0.7), run(0.95)]);

    expect(verdict.median).toBe(0.7);
    expect(verdict.passed).toBe(false);
    expect(verdict.reasons).toContain("median 0.7 < 0.9");
  });

  it("fails when one run falls below 0.8 even though the median holds", () => {
    const verdict = repeatVerdict([run(0.95), run(0.79), run(0.96)]);

    expect(verdict.median).toBe(0.95);
    expect(verdict.passed).toBe(false);
    expect(verdict.reasons).toContain("1 run(s) below 0.8 (0.79)");
  });

  it("fails when a run measured no ratio or its audit failed", () => {
    expect(repeatVerdict([run(0.95), run(undefined), run(0.96)]).passed).toBe(false);
    expect(repeatVerdict([run(0.95), run(0.95, false), run(0.96)]).passed).toBe(false);
  });
});
