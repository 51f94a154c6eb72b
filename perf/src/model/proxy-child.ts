/**
 * Runs the throttling proxy in its own process for `model`, so its JSON parsing and forwarding do not
 * share the load generator's event loop (which must keep its schedule). Talks over IPC.
 */
import { startThrottlingProxy, type ProxyOptions } from "./proxy";

async function main(): Promise<void> {
  const options = JSON.parse(process.env.PERF_PROXY_OPTIONS ?? "{}") as ProxyOptions;
  const proxy = await startThrottlingProxy(options);
  process.on("message", (message: { id: number; op: "stats" | "reset" | "close" }) => {
    if (message.op === "stats") process.send?.({ id: message.id, stats: proxy.stats });
    else if (message.op === "reset") {
      proxy.reset();
      process.send?.({ id: message.id });
    } else if (message.op === "close") void proxy.close().then(() => process.exit(0));
  });
  process.on("disconnect", () => void proxy.close().then(() => process.exit(0)));
  process.send?.({ ready: proxy.endpoint });
}

main().catch((error: unknown) => {
  process.send?.({ failed: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
