import { arrivalTimes, buildSchedule, expectedCount, rateAt } from "../src/load/schedule";

describe("arrival schedule", () => {
  it("spaces a constant rate evenly and starts at once", () => {
    const times = arrivalTimes({ kind: "constant", rate: 100, durationMs: 2_000 });

    expect(times).toHaveLength(200);
    expect(times[0]).toBe(0);
    expect(times[1]).toBeCloseTo(10, 5);
    expect(times[199]).toBeCloseTo(1_990, 5);
  });

  it("follows a ramp: the second half holds three times the first half's requests when rate goes 0 to max", () => {
    const times = arrivalTimes({ kind: "ramp", from: 0, to: 400, durationMs: 1_000 });

    const firstHalf = times.filter((t) => t < 500).length;
    const secondHalf = times.filter((t) => t >= 500).length;
    expect(times.length).toBe(200);
    expect(secondHalf / firstHalf).toBeCloseTo(3, 1);
  });

  it("puts the spike's peak rate in its hold window", () => {
    const profile = { kind: "spike" as const, base: 10, peak: 1_000, riseMs: 100, holdMs: 1_000, durationMs: 3_000 };
    const times = arrivalTimes(profile);

    const inHold = times.filter((t) => t >= 100 && t < 1_100).length;
    const after = times.filter((t) => t >= 1_100).length;
    expect(inHold).toBeGreaterThanOrEqual(999);
    expect(inHold).toBeLessThanOrEqual(1_001);
    expect(after).toBeGreaterThanOrEqual(19);
    expect(after).toBeLessThanOrEqual(21);
    expect(rateAt(profile, 50)).toBeCloseTo(505, 5);
    expect(Math.abs(times.length - expectedCount(profile))).toBeLessThanOrEqual(1);
  });

  it("draws a Poisson process whose count matches the rate and whose gaps vary", () => {
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const times = arrivalTimes({ kind: "constant", rate: 1_000, durationMs: 10_000 }, "poisson", random);

    expect(times.length).toBeGreaterThan(9_700);
    expect(times.length).toBeLessThan(10_300);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.max(...gaps)).toBeGreaterThan(3);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it("lays phases end to end and tags each request with its phase", () => {
    const schedule = buildSchedule([
      { name: "listing", profile: { kind: "constant", rate: 10, durationMs: 1_000 } },
      { name: "burst", profile: { kind: "constant", rate: 100, durationMs: 500 } },
    ]);

    expect(schedule.at.length).toBe(60);
    expect(schedule.phaseStarts).toEqual([0, 1_000]);
    expect(schedule.durationMs).toBe(1_500);
    expect(schedule.phase[9]).toBe(0);
    expect(schedule.phase[10]).toBe(1);
    expect(schedule.at[10]).toBe(1_000);
  });
});
