import { LINE_REFRESH_WINDOW_MS, MIN_ASK_DELAY_MS, nextAskInMs } from "../src/domain/line-asks";

const OPENS = "2030-01-01T10:00:00.000Z";
const at = (ms: number) => new Date(Date.parse(OPENS) + ms).toISOString();
const waiting = (serverMs: number, turnMs: number) =>
  ({ state: "waiting", opensAt: OPENS, serverTime: at(serverMs), turnAt: at(turnMs), retryAfterSeconds: 7 }) as const;

describe("the storefront's asks of the waiting room", () => {
  it("refreshes once before the opening, at its own moment of the last 2 minutes, when it joined before them", () => {
    expect(LINE_REFRESH_WINDOW_MS).toBe(120_000);
    // Joined 10 min ahead: asks at 120 s × (1 − 0.25) = 90 s before the opening.
    expect(nextAskInMs(waiting(-600_000, 30_000), 0.25)).toBe(510_000);
    // The refresh's answer (inside the window): the turn it gives.
    expect(nextAskInMs(waiting(-90_000, 39_000), 0.25)).toBe(129_000);
    // Joined inside the window: no refresh, straight to the turn.
    expect(nextAskInMs(waiting(-60_000, 39_000), 0.9)).toBe(99_000);
  });

  it("after the opening asks at the turn, never sooner than a second, and not at all once the line is done with", () => {
    expect(nextAskInMs(waiting(10_000, 45_000), 0.5)).toBe(35_000);
    expect(nextAskInMs(waiting(44_999, 45_000), 0.5)).toBe(MIN_ASK_DELAY_MS);
    for (const state of ["admitted", "expired", "sold-out", "closed"] as const)
      expect(nextAskInMs({ ...waiting(0, 1), state }, 0.5)).toBeUndefined();
  });

  it("without a turnAt, falls back on the server's retryAfterSeconds", () => {
    expect(nextAskInMs({ state: "waiting", opensAt: OPENS, serverTime: at(5_000), retryAfterSeconds: 7 }, 0.5)).toBe(
      7_000,
    );
  });
});
