import type { GetMetricDataCommand, GetMetricDataCommandOutput } from "@aws-sdk/client-cloudwatch";
import { minuteByMinute, readMinuteOfRefusals, type MetricsReader } from "../../src/cli/deployed-refusals";

/**
 * CloudWatch cannot run here: these check, at the client's edge, the request `stock watch --metrics` sends (the
 * names and dimensions the functions' EMF lines carry, services/src/http/metrics.ts) and how it reads the answer.
 */
function answering(values: Record<string, number>) {
  const sent: GetMetricDataCommand["input"][] = [];
  const client: MetricsReader = {
    send: (async (command: GetMetricDataCommand) => {
      sent.push(command.input);
      const queries = command.input.MetricDataQueries ?? [];
      return {
        MetricDataResults: queries.map((query) => {
          const code = query.MetricStat?.Metric?.Dimensions?.find((d) => d.Name === "code")?.Value;
          const key = code ?? query.MetricStat?.Metric?.MetricName ?? "";
          return { Id: query.Id, Values: key in values ? [values[key]] : [] };
        }),
      } as GetMetricDataCommandOutput;
    }) as MetricsReader["send"],
  };
  return { client, sent };
}

const NOW = Date.parse("2026-12-06T10:15:42Z");

test("reads the last whole minute before the current one, per minute, summed", async () => {
  const { client, sent } = answering({});

  const read = await readMinuteOfRefusals(client, "flash-sale-prod", NOW);

  expect(read.from.toISOString()).toBe("2026-12-06T10:13:00.000Z");
  expect(read.to.toISOString()).toBe("2026-12-06T10:14:00.000Z");
  expect(sent[0]?.StartTime?.toISOString()).toBe("2026-12-06T10:13:00.000Z");
  expect(sent[0]?.EndTime?.toISOString()).toBe("2026-12-06T10:14:00.000Z");
  for (const query of sent[0]?.MetricDataQueries ?? []) {
    expect(query.MetricStat).toMatchObject({ Period: 60, Stat: "Sum", Metric: { Namespace: "flash-sale-prod" } });
  }
});

test("asks for every refusal code the purchase answers with, by the dimensions the functions emit", async () => {
  const { client, sent } = answering({});

  await readMinuteOfRefusals(client, "ns", NOW);

  const refused = (sent[0]?.MetricDataQueries ?? []).filter(
    (q) => q.MetricStat?.Metric?.MetricName === "PurchasesRefused",
  );
  expect(
    refused.map((q) => q.MetricStat?.Metric?.Dimensions).map((d) => d?.find((x) => x.Name === "code")?.Value),
  ).toEqual(expect.arrayContaining(["SOLD_OUT", "LIMIT_EXCEEDED", "NOT_ADMITTED", "INSUFFICIENT_STOCK"]));
  expect(
    refused.every((q) =>
      q.MetricStat?.Metric?.Dimensions?.some((d) => d.Name === "service" && d.Value === "flash-sale"),
    ),
  ).toBe(true);
  expect(refused.some((q) => q.MetricStat?.Metric?.Dimensions?.some((d) => d.Value === "TRY_AGAIN"))).toBe(false);
});

test("refusals by code (zeros left out) and errors as TRY_AGAIN plus engine faults", async () => {
  const { client } = answering({
    SOLD_OUT: 120,
    LIMIT_EXCEEDED: 7,
    NOT_ADMITTED: 0,
    PurchasesTryAgain: 3,
    EngineFaults: 2,
  });

  const read = await readMinuteOfRefusals(client, "ns", NOW);

  expect(read.refusals).toEqual({ SOLD_OUT: 120, LIMIT_EXCEEDED: 7 });
  expect(read.errors).toBe(5);
});

test("a live view reads CloudWatch once a minute, not once a frame", async () => {
  const { client, sent } = answering({ SOLD_OUT: 1 });
  const read = minuteByMinute((nowMs) => readMinuteOfRefusals(client, "ns", nowMs));

  for (let second = 0; second < 18; second++) await read(NOW + second * 1_000); // 10:15:42 to 10:15:59
  await read(NOW + 18_000); // 10:16:00: a new minute is complete

  expect(sent).toHaveLength(2);
});
