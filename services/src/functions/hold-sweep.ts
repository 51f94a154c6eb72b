import { createShop } from "../app";
import { containerLog } from "../http/log";
import { dynamoSettingsFromEnv } from "../store/client";

/** Created once per container: the sweep needs the table, never the payment provider. */
const shop = createShop(dynamoSettingsFromEnv(), { checkout: {} });
const log = containerLog();

/** The second sweep of a busy minute, so a hold is back within ~30 s of its end (the schedule runs every minute). */
const SECOND_SWEEP_AFTER_MS = 30_000;
/** While runs leave due holds behind (a full batch each), sweep again at once, but stop well inside the 50 s timeout. */
const BUSY_UNTIL_MS = 40_000;

/**
 * The expiry sweep, run every minute by an EventBridge schedule. Between sales it reads only the catalog and
 * returns at once (what makes it cost cents a month); while a payment sale's holds may be running it sweeps,
 * waits until half a minute after it started, and sweeps again. A run that leaves due holds behind is followed
 * by another at once.
 */
export async function handler(): Promise<{ expired: number }> {
  const started = Date.now();
  let expired = 0;
  const sweepWhileBusy = async () => {
    let run = await shop.sweepHolds();
    expired += run.expired;
    while (run.remaining && run.expired > 0 && Date.now() - started < BUSY_UNTIL_MS) {
      run = await shop.sweepHolds();
      expired += run.expired;
    }
    return run;
  };
  if ((await sweepWhileBusy()).active) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + SECOND_SWEEP_AFTER_MS - Date.now())));
    await sweepWhileBusy();
  }
  if (expired > 0) log.payment("holds-expired", expired);
  log.request({ route: "hold-sweep", status: 200, latencyMs: Date.now() - started, outcome: `EXPIRED_${expired}` });
  return { expired };
}
