import { writeFileSync } from "node:fs";
import type { FunctionLog } from "@flash-sale/services/http";
import type { PurchaseMeter } from "@flash-sale/services/running-stack";

/** The purchase route as the request log names it. */
const PURCHASE_ROUTE = "POST /purchases";

/**
 * Counts the gateway's answers as the request log sees them: a purchase answered 4xx is a refusal (by its code:
 * SOLD_OUT, LIMIT_EXCEEDED, …), any answer 5xx an error (503 TRY_AGAIN, a 500). Then passes every call on, so
 * the purchase path writes nothing more.
 */
export function meteredLog(log: FunctionLog, meter: PurchaseMeter): FunctionLog {
  return {
    ...log,
    request(line) {
      if (line.status >= 500) meter.errors++;
      else if (line.status >= 400 && line.route === PURCHASE_ROUTE) {
        const code = line.outcome ?? String(line.status);
        meter.refusals[code] = (meter.refusals[code] ?? 0) + 1;
      }
      log.request(line);
    },
  };
}

/** Writes the meter to `file` every `everyMs` (and at stop): `stock watch` reads it there. */
export function publishMeter(meter: PurchaseMeter, file: string, everyMs = 1_000): () => void {
  const write = () => writeFileSync(file, JSON.stringify(meter));
  write();
  const timer = setInterval(write, everyMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    write();
  };
}
