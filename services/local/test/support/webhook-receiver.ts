import { createServer, type Server } from "node:http";

/** One POST the receiver got: the raw body and its Stripe-Signature header, and when it came. */
export interface Delivery {
  body: string;
  signature: string | undefined;
  at: number;
  eventId: string;
  type: string;
}

export interface WebhookReceiver {
  url: string;
  deliveries: Delivery[];
  /** The statuses for the next deliveries in turn, replacing any still unused (then 200): [500, 500] fails the next two. */
  answerNext(statuses: number[]): void;
  /** Resolves with the deliveries once `predicate` holds for them (checked at each delivery), or fails after `timeoutMs`. */
  waitFor(predicate: (deliveries: Delivery[]) => boolean, timeoutMs?: number): Promise<Delivery[]>;
  close(): Promise<void>;
}

/** A webhook endpoint for tests: records every delivery and answers as told. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const deliveries: Delivery[] = [];
  const statuses: number[] = [];
  const waiters = new Set<() => void>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let event: { id?: string; type?: string } = {};
      try {
        event = JSON.parse(body) as typeof event;
      } catch {}
      const signature = request.headers["stripe-signature"];
      deliveries.push({
        body,
        signature: Array.isArray(signature) ? signature[0] : signature,
        at: Date.now(),
        eventId: event.id ?? "",
        type: event.type ?? "",
      });
      response.writeHead(statuses.shift() ?? 200).end();
      for (const wake of waiters) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/payments/webhook`,
    deliveries,
    answerNext: (next) => statuses.splice(0, statuses.length, ...next),
    waitFor: (predicate, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(deliveries)) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(deliveries);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`the webhook deliveries awaited did not come within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
