import { PURCHASES_PER_SHARD_PER_SECOND } from "@flash-sale/services/domain";
import { waitingRoomCostCommand } from "../src/cli/waiting-room-cost";
import { API_GATEWAY_DEFAULT_QUOTA_PER_SECOND, waitingRoomLoad } from "../src/cost/waiting-room-load";

/** The command's defaults: a million joiners over the 10 minutes before the opening. */
const DEFAULT = { joiners: 1_000_000, joinSeconds: 600 };

describe("waiting room cost model", () => {
  it.each([4, 16])(
    "keeps the waiting room within API Gateway's default 10,000 requests/s at the default admission rate of %i shard(s)",
    (shards) => {
      const load = waitingRoomLoad({ ...DEFAULT, rate: shards * PURCHASES_PER_SHARD_PER_SECOND });

      expect(API_GATEWAY_DEFAULT_QUOTA_PER_SECOND).toBe(10_000);
      expect(load.peak).toBeLessThanOrEqual(API_GATEWAY_DEFAULT_QUOTA_PER_SECOND);
      // The storefront's asks (line-asks.ts): join, at most one refresh, the turn it was told, the exact turn.
      expect(load.requests / DEFAULT.joiners).toBeLessThanOrEqual(4);
      // Every joiner gets their pass: at least the join and the ask at the turn.
      expect(load.requests / DEFAULT.joiners).toBeGreaterThanOrEqual(2);
    },
  );

  it("prints the peak beside the quota, with a verdict", async () => {
    const lines: string[] = [];
    jest.spyOn(console, "log").mockImplementation((text: string) => void lines.push(text));

    expect(await waitingRoomCostCommand(["--shards", "16"])).toBe(0);
    expect(lines.join("\n")).toMatch(
      /peak [\d,]+ requests\/s \(before the opening [\d,]+\/s, after it [\d,]+\/s\) against API Gateway's default quota of 10,000\/s per account and Region: within it \(\d+%\)/,
    );

    lines.length = 0;
    expect(await waitingRoomCostCommand(["--shards", "16", "--joiners", "3000000"])).toBe(0);
    expect(lines.join("\n")).toMatch(
      /OVER it by [\d,]+\/s: raise the quota before the sale or admit at a lower --rate/,
    );
  });
});
