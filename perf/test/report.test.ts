import { Recorder, mergeRecordings } from "../src/load/recorder";
import { renderHtml } from "../src/report/html";
import { buildSummary, purchaseThroughput } from "../src/report/summary";

/** A one-phase recording: each [second, label] pair is one answer that arrived in that second. */
function recordingOf(answers: Array<[number, string]>): Recorder {
  const recorder = new Recorder(["burst"], Date.UTC(2026, 10, 24));
  for (const [second, label] of answers) {
    const intended = second * 1000 + 100;
    recorder.onDispatch(intended, 0.1);
    recorder.onComplete(0, label, intended, intended + 50);
  }
  recorder.counts.scheduled = answers.length;
  return recorder;
}

const page = (recorder: Recorder) =>
  renderHtml(
    buildSummary(recorder, {
      runId: "test",
      kind: "local",
      startedAt: "2026-11-24T00:00:00Z",
      target: { api: "http://127.0.0.1" },
      scenario: {},
      notes: [],
    }),
  );

/** The <title> of the throughput line drawn for `series`, or undefined when there is none. */
const lineTitle = (html: string, series: string) =>
  new RegExp(`data-series="${series}"[^>]*><title>([^<]*)</title>`).exec(html)?.[1];

const SHED = "shed: 503 TRY_AGAIN, 429";

describe("HTML report", () => {
  it("draws shed answers (503 TRY_AGAIN and 429) as their own line, apart from confirmed purchases and refusals", () => {
    const recorder = recordingOf([
      [0, "purchase 201"],
      [0, "purchase 503 TRY_AGAIN"],
      [1, "purchase 503 TRY_AGAIN"],
      [1, "purchase 429 TOO_MANY_REQUESTS"],
      [1, "purchase 409 SOLD_OUT"],
      [2, "listing 200"],
    ]);

    const html = page(recorder);

    expect(lineTitle(html, SHED)).toBe(`${SHED}: 3 in all`);
    expect(lineTitle(html, "confirmed purchases \\(201\\)")).toBe("confirmed purchases (201): 1 in all");
    expect(lineTitle(html, "refused \\(409\\)")).toBe("refused (409): 1 in all");
    expect(lineTitle(html, "other 2xx \\(listings, replays\\)")).toBe("other 2xx (listings, replays): 1 in all");
    expect(html).toContain("Shed (503 TRY_AGAIN or 429: the shopper is asked to retry): 3 of 6 answers (50.0%)");
  });

  it("draws no shed line when nothing was shed", () => {
    const html = page(
      recordingOf([
        [0, "purchase 201"],
        [1, "purchase 409 SOLD_OUT"],
      ]),
    );

    expect(lineTitle(html, SHED)).toBeUndefined();
    expect(html).toContain("Shed (503 TRY_AGAIN or 429: the shopper is asked to retry): 0 of 2 answers");
  });

  it("keeps the shed counts per second through a recording's JSON form (agents → collect)", () => {
    const agent = recordingOf([
      [0, "purchase 503 TRY_AGAIN"],
      [3, "purchase 503 TRY_AGAIN"],
    ]).toData();

    const merged = mergeRecordings([JSON.parse(JSON.stringify(agent))]);

    expect(merged.timeline.map((second) => second.outcomes["purchase 503 TRY_AGAIN"] ?? 0)).toEqual([1, 0, 0, 1]);
    expect(lineTitle(page(merged), SHED)).toBe(`${SHED}: 2 in all`);
  });
});

describe("purchase throughput", () => {
  it("counts confirmations per whole second from the first one, leaving out the part-second at the end", () => {
    // prepare: a slow opening second (2), a fast one (4), then a trickle ending 0.5 s into the third second
    const confirmedAt = [1_000, 1_900, 2_000, 2_100, 2_200, 2_999, 3_000, 3_500];

    // act
    const throughput = purchaseThroughput(confirmedAt);

    // assess
    expect(throughput.perWholeSecond).toEqual([2, 4]);
    expect(throughput.confirmedPerSecond).toBe(3.2); // 8 confirmations over the 2.5 s from first to last
    expect(throughput.firstConfirmedMs).toBe(1_000);
    expect(throughput.lastConfirmedMs).toBe(3_500);
  });

  it("has no rate with fewer than two distinct confirmation times", () => {
    expect(purchaseThroughput([])).toEqual({ confirmed: 0, confirmedPerSecond: 0 });
    expect(purchaseThroughput([500, 500])).toEqual({ confirmed: 2, confirmedPerSecond: 0 });
  });
});
