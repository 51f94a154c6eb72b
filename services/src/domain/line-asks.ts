/**
 * When the storefront asks GET /admission/{sku} again: the whole policy, pure and shared by the storefront
 * (web/src/app/waiting-room/line-poller.ts) and the cost model (`npm run perf -- waiting-room-cost`), so
 * the model counts what the storefront really sends. Not used by the API (no handler bundles it).
 *
 * A turn only moves later, never sooner, unless a merchandiser raises the rate: before the opening the
 * early joiners already counted spread over the line and more keep joining; after it, the count is final
 * and an answer's `turnAt` is exact at the current rate. So the storefront asks:
 * - once to join (its place, its ticket, a first `turnAt`);
 * - once more before the opening, at a moment of its own drawn at random in the last
 *   `LINE_REFRESH_WINDOW_MS` (only when it joined before that window), so that its `turnAt` counts
 *   nearly every early joiner;
 * - at its `turnAt`: the pass if it is its turn, else (the line grew after its last answer, or the rate
 *   was lowered) the exact `turnAt`, where it asks again.
 * Nothing between: position and wait are counted down on the page, sold out comes from the catalog feed,
 * the pass's expiry from `passExpiresAt`. The server's `retryAfterSeconds` (half the wait) is for
 * clients that do not know this; asking later than it says is allowed. A rate raised while a shopper
 * waits reaches them at the turn they were shown: never later than that.
 */
import type { AdmissionView } from "./admission-view";

/** The window before the opening in which each early joiner asks once more, at a moment of its own. */
export const LINE_REFRESH_WINDOW_MS = 120_000;

/** Never two asks closer than this. */
export const MIN_ASK_DELAY_MS = 1_000;

/**
 * How long after this answer (on the server's clock: from `serverTime`) to ask again; undefined when
 * no more asks are needed (admitted, expired, sold out, closed). `spread` is the shopper's own number,
 * uniform in [0, 1) and fixed for the page's life: it places their refresh in the window.
 */
export function nextAskInMs(
  view: Pick<AdmissionView, "state" | "serverTime" | "opensAt" | "turnAt" | "retryAfterSeconds">,
  spread: number,
): number | undefined {
  if (view.state !== "waiting") return undefined;
  const now = Date.parse(view.serverTime);
  const window = Date.parse(view.opensAt) - LINE_REFRESH_WINDOW_MS;
  const next =
    now < window
      ? window + spread * LINE_REFRESH_WINDOW_MS
      : view.turnAt
        ? Date.parse(view.turnAt)
        : now + (view.retryAfterSeconds ?? 2) * 1_000;
  return Math.max(MIN_ASK_DELAY_MS, next - now);
}
