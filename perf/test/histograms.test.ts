import { decodeHistogram, encodeHistogram, newHistogram, summarize } from "../src/load/histograms";
import { mergeRecordings, Recorder } from "../src/load/recorder";

function agentRecording(startedAt: number, latenciesMs: number[], label: string) {
  const recorder = new Recorder(["burst"], startedAt);
  latenciesMs.forEach((latency, i) => {
    const intended = i * 10;
    recorder.onDispatch(intended, 0.1);
    recorder.onComplete(0, label, intended, intended + latency);
  });
  recorder.counts.scheduled = latenciesMs.length;
  return recorder.toData();
}

describe("histogram encoding and merging", () => {
  it("round-trips a histogram through its compressed base64 form", () => {
    const histogram = newHistogram();
    for (let us = 1_000; us <= 100_000; us += 1_000) histogram.recordValue(us);

    const decoded = decodeHistogram(encodeHistogram(histogram));

    expect(decoded.totalCount).toBe(100);
    const { max, ...percentiles } = summarize(decoded);
    const { max: originalMax, ...originalPercentiles } = summarize(histogram);
    expect(percentiles).toEqual(originalPercentiles);
    // The encoded form keeps buckets, not values: max comes back as its bucket's top (3 significant digits).
    expect(max).toBeCloseTo(originalMax, 0);
  });

  it("merges agents' recordings into the percentiles of all their requests together", () => {
    const fast = agentRecording(
      1_000_000,
      Array.from({ length: 900 }, () => 10),
      "purchase 201",
    );
    const slow = agentRecording(
      1_000_000,
      Array.from({ length: 100 }, () => 500),
      "purchase 409 SOLD_OUT",
    );

    const merged = mergeRecordings([JSON.parse(JSON.stringify(fast)), JSON.parse(JSON.stringify(slow))]);

    const all = summarize(merged.histograms.get("all")!);
    expect(all.count).toBe(1_000);
    expect(all.p50).toBeCloseTo(10, 0);
    expect(all.p99).toBeCloseTo(500, -1);
    expect(merged.outcomes.get("purchase 201")).toBe(900);
    expect(merged.outcomes.get("purchase 409 SOLD_OUT")).toBe(100);
    expect(merged.counts).toEqual({ scheduled: 1_000, dispatched: 1_000, dropped: 0, completed: 1_000 });
  });

  it("aligns agents' timelines on wall-clock seconds", () => {
    const early = agentRecording(1_000_000, [5, 5], "listing 200");
    const late = agentRecording(1_002_000, [5, 5], "listing 200");

    const merged = mergeRecordings([late, early]);

    expect(merged.startedAtEpochMs).toBe(1_000_000);
    expect(merged.timeline[0]!.dispatched).toBe(2);
    expect(merged.timeline[1]!.dispatched).toBe(0);
    expect(merged.timeline[2]!.dispatched).toBe(2);
    expect(merged.timeline[2]!.completed.ok).toBe(2);
  });
});
