import { Recorder, mergeRecordings } from "../src/load/recorder";
import { renderHtml } from "../src/report/html";
import { buildSummary, openingSecond, purchaseThroughput } from "../src/report/summary";

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

const engineAt = (perSecond: number) => ({
  concurrency: 16,
  seconds: 4,
  transactions: perSecond * 4,
  failed: 0,
  perSecond,
  latency: { count: perSecond * 4, p50: 10, p90: 20, p99: 30, p999: 40, max: 50, mean: 12 },
});

/** A run whose burst confirmed `confirmedPerSecond` against the engine alone measured before and after. */
const judged = (confirmedPerSecond: number, before: number, after: number) =>
  buildSummary(
    recordingOf([
      [0, "purchase 201"],
      [1, "purchase 409 SOLD_OUT"],
    ]),
    {
      runId: "test",
      kind: "local",
      startedAt: "2026-11-24T00:00:00Z",
      target: { api: "http://127.0.0.1" },
      scenario: {},
      purchases: { confirmed: 100, confirmedPerSecond },
      engineBefore: engineAt(before),
      engine: engineAt(after),
      notes: [],
    },
  );

describe("verdict over every goal", () => {
  it("fails a run whose confirmed purchases/s fall below 0.9 × the engine alone, though the audit and generator pass", () => {
    const summary = judged(50, 100, 100);

    expect(summary.verdict).toBe("FAILED");
    expect(summary.goals).toContainEqual(
      expect.objectContaining({ met: false, measured: expect.stringContaining("50/s ÷ 100 tx/s = 0.50") }),
    );
  });

  it("passes only when every goal holds", () => {
    const summary = judged(95, 100, 100);

    expect(summary.goals.length).toBeGreaterThanOrEqual(4);
    expect(summary.goals.every((goal) => goal.met)).toBe(true);
    expect(summary.verdict).toBe("PASSED");
  });

  it("calls a run INVALID when the engine alone was still warming (before and after more than 5% apart)", () => {
    const summary = judged(200, 100, 120);

    expect(summary.goals).toContainEqual(expect.objectContaining({ kind: "measurement", met: false }));
    expect(summary.verdict).toBe("INVALID");
  });

  it("judges the ratio against the higher of the engine's two measures and says both", () => {
    const goal = judged(95, 100, 104).goals.find((g) => g.goal.startsWith("confirmed purchases/s"));

    expect(goal?.measured).toBe("95/s ÷ 104 tx/s = 0.91 (before: 0.95, after: 0.91)");
  });
});

describe("HTML report, readable", () => {
  it("opens with a ✓/✗ table of every goal, before any chart", () => {
    const html = renderHtml(judged(50, 100, 100));

    const table = html.indexOf('<table class="goals">');
    expect(table).toBeGreaterThan(-1);
    expect(table).toBeLessThan(html.indexOf("<svg"));
    expect(html).toMatch(/<tr data-goal-met="false"><td class="missed">✗<\/td><td>confirmed purchases\/s/);
    expect(html).toMatch(/<tr data-goal-met="true"><td class="met">✓<\/td><td>p99 of every answer/);
  });

  it("draws confirmed purchases on their own scale, not on the axis of everything sent", () => {
    // prepare: 3 confirmed a second against 200 sent a second
    const answers: Array<[number, string]> = [];
    for (let second = 0; second < 3; second++) {
      for (let i = 0; i < 3; i++) answers.push([second, "purchase 201"]);
      for (let i = 0; i < 197; i++) answers.push([second, "purchase 503 TRY_AGAIN"]);
    }

    const html = page(recordingOf(answers));

    const chart = html.split("<figure>").find((f) => f.includes("Confirmed purchases (201) per second"));
    expect(chart).toBeDefined();
    const axisTop = Math.max(...[...chart!.matchAll(/text-anchor="end">([\d.]+)</g)].map((m) => Number(m[1])));
    expect(axisTop).toBe(5);
  });

  it("draws confirmed purchases and other 2xx in colours of different hues", () => {
    const html = page(
      recordingOf([
        [0, "purchase 201"],
        [0, "listing 200"],
      ]),
    );

    const colorOf = (series: string) =>
      new RegExp(`stroke="(#[0-9a-f]{6})"[^>]*data-series="${series}"`).exec(html)?.[1];
    const hue = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255) as [
        number,
        number,
        number,
      ];
      const max = Math.max(r, g, b);
      const d = max - Math.min(r, g, b);
      const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
      return (h * 60 + 360) % 360;
    };
    const confirmed = hue(colorOf("confirmed purchases \\(201\\)")!);
    const served = hue(colorOf("other 2xx \\(listings, replays\\)")!);
    expect(Math.min(Math.abs(confirmed - served), 360 - Math.abs(confirmed - served))).toBeGreaterThan(60);
  });

  it("shows the share of each second's answers that were shed", () => {
    const html = page(
      recordingOf([
        [0, "purchase 201"],
        [0, "purchase 503 TRY_AGAIN"],
        [1, "purchase 503 TRY_AGAIN"],
        [1, "purchase 503 TRY_AGAIN"],
        [1, "purchase 503 TRY_AGAIN"],
        [1, "purchase 409 SOLD_OUT"],
      ]),
    );

    expect(lineTitle(html, "shed share")).toBe("shed share: 4 shed in all");
    const points = /data-series="shed share" points="([^"]*)"/.exec(html)?.[1]?.split(" ") ?? [];
    expect(points).toHaveLength(2);
    expect(html).toContain("Share of each second's answers shed (503 TRY_AGAIN, 429), %");
  });
});

describe("purchase throughput over the burst", () => {
  it("measures the rate over the seconds the burst sells, leaving out the tail's trickle", () => {
    // prepare: 10 confirmations in the burst (10 s - 11 s), then 2 in the tail, seconds later
    const burst = Array.from({ length: 10 }, (_, i) => 10_000 + i * 100);
    const confirmedAt = [...burst, 17_000, 19_000];

    // act
    const throughput = purchaseThroughput(confirmedAt, { startMs: 10_000, endMs: 16_000 });

    // assess: 10 confirmations over the 0.9 s from the first to the last in the burst
    expect(throughput.confirmedPerSecond).toBe(11.1);
    expect(throughput.burst).toEqual({ startMs: 10_000, endMs: 16_000, confirmed: 10, lastConfirmedMs: 10_900 });
    expect(throughput.confirmedInTail).toBe(2);
    expect(throughput.confirmed).toBe(12);
  });
});

describe("the opening second", () => {
  it("sets the burst's first whole second against the median of its later ones, the tail left out", () => {
    // prepare: 2 in the first second, then 5 and 7, then the tail's trickle after the burst ends at 13 s
    const confirmedAt = [
      10_000,
      10_500,
      ...Array.from({ length: 5 }, (_, i) => 11_000 + i * 150),
      ...Array.from({ length: 7 }, (_, i) => 12_000 + i * 100),
      13_000,
      15_000,
      18_000,
    ];

    const opening = openingSecond(purchaseThroughput(confirmedAt, { startMs: 10_000, endMs: 12_999 }));

    expect(opening).toEqual({ firstSecond: 2, laterSeconds: 5 });
  });
});

describe("purchase throughput when the sale opens before the burst is due", () => {
  it("leaves out confirmations before the burst (a late generator's pre-sale purchases) from the rate and the seconds", () => {
    // prepare: two pre-sale purchases confirmed at 4.1 s and 4.5 s, the burst from 5 s: 3, then 4 a second
    const burst = [5_000, 5_300, 5_600, 6_000, 6_200, 6_400, 6_600, 7_000];
    const confirmedAt = [4_100, 4_500, ...burst];

    // act
    const throughput = purchaseThroughput(confirmedAt, { startMs: 5_000, endMs: 11_000 });

    // assess: 8 confirmations over the 2 s from 5 s to 7 s; whole seconds counted from 5 s
    expect(throughput.confirmedPerSecond).toBe(4);
    expect(throughput.burst?.confirmed).toBe(8);
    expect(throughput.perWholeSecond).toEqual([3, 4]);
    expect(throughput.confirmed).toBe(10);
  });
});
