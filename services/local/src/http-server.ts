import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export interface ServerTimeouts {
  /** A client must finish sending its headers within this (slowloris). */
  headersTimeoutMs: number;
  /** ...and its whole request within this. */
  requestTimeoutMs: number;
  /**
   * An idle keep-alive connection is closed after this. Long, as browsers keep theirs: shoppers waiting
   * for a sale hold a connection from loading the page, and closing it would turn the opening into a
   * storm of new TCP connections. Idle sockets cost the server almost nothing; slow clients are cut off
   * by the two timeouts above.
   */
  keepAliveTimeoutMs: number;
}

export const DEFAULT_SERVER_TIMEOUTS: ServerTimeouts = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  keepAliveTimeoutMs: 65_000,
};

type Handle = (request: IncomingMessage, response: ServerResponse) => Promise<void> | void;

/**
 * An HTTP server that no request can bring down: a handler that throws (synchronously or not) answers
 * 500 and is logged, half-sent and idle connections are closed on timeouts, and malformed HTTP gets
 * Node's own 400.
 */
export function robustServer(name: string, handle: Handle, timeouts: ServerTimeouts = DEFAULT_SERVER_TIMEOUTS): Server {
  const server = createServer(
    {
      headersTimeout: timeouts.headersTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      keepAliveTimeout: timeouts.keepAliveTimeoutMs,
      // How often Node checks the two timeouts above (its default of 30 s would let a stalled client linger).
      connectionsCheckingInterval: Math.min(1_000, timeouts.headersTimeoutMs),
    },
    (request, response) => {
      const failed = (error: unknown) => {
        process.stderr.write(`${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        if (!response.headersSent) {
          response.writeHead(500, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
          response.end(JSON.stringify({ error: { code: "INTERNAL_ERROR", message: `The local ${name} failed.` } }));
        } else response.destroy();
      };
      try {
        Promise.resolve(handle(request, response)).catch(failed);
      } catch (error) {
        failed(error);
      }
    },
  );
  // Malformed HTTP and the timeouts above are answered by Node's own clientError handling (400, 408, 431).
  return server;
}

/** Decodes a percent-encoded path; undefined when an escape is malformed (e.g. `%E0%A4%A`). */
export function decodePath(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}

/** The request's URL, or undefined when it cannot be parsed. */
export function requestUrl(request: IncomingMessage): URL | undefined {
  try {
    return new URL(request.url ?? "/", "http://localhost");
  } catch {
    return undefined;
  }
}
