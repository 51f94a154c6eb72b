import type { ApiHandler } from "@flash-sale/services/http";
import type { HttpResult } from "@flash-sale/services/http";
import type { Route } from "@flash-sale/services/routes";

/**
 * The local stand-in for CloudFront in front of a public route: one shared response cache, keyed by the
 * path alone (no query string, headers or cookies, like the distribution's cache policy), holding a response
 * for as long as its own `Cache-Control: public, max-age=N` says. Concurrent misses share one handler call
 * (CloudFront's request collapsing), so N pollers cost about one handler call per max-age, however large N is.
 * Authenticated routes are never cached, nor is anything but a GET (CloudFront caches GET and HEAD only): a
 * POST to a public route (the payment provider's webhook) always reaches its handler, however many arrive at once.
 */
export function edgeCached(
  route: Pick<Route, "auth" | "method">,
  handler: ApiHandler,
  clock: () => number = Date.now,
): ApiHandler {
  if (route.auth || route.method !== "GET") return handler;
  const entries = new Map<string, { result: HttpResult; storedAt: number; expiresAt: number }>();
  const inFlight = new Map<string, Promise<HttpResult>>();

  return async (event) => {
    const key = event.rawPath;
    const now = clock();
    const entry = entries.get(key);
    if (entry && now < entry.expiresAt) return withAge(entry.result, now - entry.storedAt);

    let pending = inFlight.get(key);
    if (!pending) {
      pending = handler(event).then((result) => {
        const seconds = sharedMaxAge(result);
        const storedAt = clock();
        if (seconds > 0) entries.set(key, { result, storedAt, expiresAt: storedAt + seconds * 1000 });
        else entries.delete(key);
        return result;
      });
      inFlight.set(key, pending);
      // Cleared whatever the outcome: a failed call is not remembered, the next request tries again.
      void pending.then(
        () => inFlight.delete(key),
        () => inFlight.delete(key),
      );
    }
    return pending;
  };
}

/** Seconds a shared cache may keep this response: `public` with `max-age` (or `s-maxage`), and never no-store/private. */
export function sharedMaxAge(result: HttpResult): number {
  const header = Object.entries(result.headers ?? {}).find(([name]) => name.toLowerCase() === "cache-control")?.[1];
  const directives = String(header ?? "")
    .toLowerCase()
    .split(",")
    .map((directive) => directive.trim());
  if (!directives.includes("public") || directives.some((d) => d === "no-store" || d === "private" || d === "no-cache"))
    return 0;
  const age = (name: string) => directives.find((d) => d.startsWith(`${name}=`))?.slice(name.length + 1);
  const seconds = Number(age("s-maxage") ?? age("max-age"));
  return Number.isInteger(seconds) && seconds > 0 ? seconds : 0;
}

/** What CloudFront adds to a cached copy: how long ago (whole seconds) the origin made it. */
function withAge(result: HttpResult, ageMs: number): HttpResult {
  return { ...result, headers: { ...result.headers, age: String(Math.floor(ageMs / 1000)) } };
}
