import {
  CloudWatchClient,
  type Dimension,
  GetMetricDataCommand,
  type MetricDataQuery,
} from "@aws-sdk/client-cloudwatch";
import type { PurchaseErrorCode } from "../domain/types";
import { BUSINESS_METRICS } from "../http/metric-names";
import { PURCHASE_ERROR_STATUS } from "../http/response";

/** Refused purchases by code and errors over one whole minute, as the deployed functions' metrics count them. */
export interface MinuteOfRefusals {
  refusals: Record<string, number>;
  errors: number;
  /** The minute counted: [from, to). */
  from: Date;
  to: Date;
}

export type MetricsReader = Pick<CloudWatchClient, "send">;

const REFUSAL_CODES = (Object.keys(PURCHASE_ERROR_STATUS) as PurchaseErrorCode[]).filter(
  (code) => code !== "TRY_AGAIN",
);
const MINUTE_MS = 60_000;

/**
 * The last whole minute before `nowMs` (CloudWatch aggregates EMF metrics per minute, and a minute is complete
 * a little after it ends, so the one before the current is read): `PurchasesRefused` for each refusal code, and
 * errors as `PurchasesTryAgain` (503s the shop chose) plus `EngineFaults` (503s for an engine fault or a missed
 * deadline). One GetMetricData of 11 metrics: $0.01 per 1,000 metrics, so ~$0.0066 an hour read once a minute.
 */
export async function readMinuteOfRefusals(
  client: MetricsReader,
  namespace: string,
  nowMs: number,
): Promise<MinuteOfRefusals> {
  const to = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS - MINUTE_MS;
  const from = to - MINUTE_MS;
  const service: Dimension = { Name: BUSINESS_METRICS.serviceDimension, Value: BUSINESS_METRICS.service };
  const sum = (id: string, metricName: string, dimensions: Dimension[] = [service]): MetricDataQuery => ({
    Id: id,
    MetricStat: {
      Metric: { Namespace: namespace, MetricName: metricName, Dimensions: dimensions },
      Period: 60,
      Stat: "Sum",
    },
  });
  const queries = [
    ...REFUSAL_CODES.map((code, i) =>
      sum(`refused${i}`, BUSINESS_METRICS.refused, [service, { Name: BUSINESS_METRICS.codeDimension, Value: code }]),
    ),
    sum("tryagain", BUSINESS_METRICS.tryAgain),
    sum("faults", BUSINESS_METRICS.engineFaults),
  ];
  const { MetricDataResults } = await client.send(
    new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: new Date(from), EndTime: new Date(to) }),
  );
  const value = (id: string) => (MetricDataResults ?? []).find((result) => result.Id === id)?.Values?.[0] ?? 0;
  const refusals: Record<string, number> = {};
  REFUSAL_CODES.forEach((code, i) => {
    const count = value(`refused${i}`);
    if (count > 0) refusals[code] = count;
  });
  return { refusals, errors: value("tryagain") + value("faults"), from: new Date(from), to: new Date(to) };
}

/** Reads at most once per minute (the metrics change no faster): the last reading, or a new one when due. */
export function minuteByMinute(
  read: (nowMs: number) => Promise<MinuteOfRefusals>,
): (nowMs: number) => Promise<MinuteOfRefusals> {
  let last: MinuteOfRefusals | undefined;
  return async (nowMs) => {
    const due = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS - MINUTE_MS;
    if (!last || last.to.getTime() !== due) last = await read(nowMs);
    return last;
  };
}

export function cloudWatchReader(region: string): MetricsReader {
  return new CloudWatchClient({ region });
}
