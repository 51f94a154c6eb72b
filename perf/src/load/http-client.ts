import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

export interface HttpResponse {
  status: number;
  body: string;
}

export interface HttpClient {
  request(method: "GET" | "POST", path: string, headers: Record<string, string>, body?: string): Promise<HttpResponse>;
  close(): void;
}

/**
 * A keep-alive HTTP/1.1 client on node:http (less per-request work than fetch, which matters when the
 * generator must not be the bottleneck). One socket per in-flight request, reused afterwards.
 */
export function createHttpClient(baseUrl: string, options: { maxSockets: number; timeoutMs: number }): HttpClient {
  const base = new URL(baseUrl);
  const secure = base.protocol === "https:";
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets, maxFreeSockets: options.maxSockets, scheduling: "lifo" as const };
  const agent = secure ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  const send = secure ? httpsRequest : httpRequest;
  const prefix = base.pathname.replace(/\/$/, "");
  return {
    request(method, path, headers, body) {
      return new Promise((resolve, reject) => {
        const outgoing = send(
          {
            protocol: base.protocol,
            hostname: base.hostname,
            port: base.port,
            method,
            path: `${prefix}${path}`,
            agent,
            headers: body === undefined ? headers : { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
            timeout: options.timeoutMs,
          },
          (response: IncomingMessage) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
            response.on("error", reject);
          },
        );
        outgoing.on("timeout", () => outgoing.destroy(Object.assign(new Error(`no answer within ${options.timeoutMs} ms`), { name: "Timeout" })));
        outgoing.on("error", reject);
        outgoing.end(body);
      });
    },
    close() {
      agent.destroy();
    },
  };
}

/** `kind status [CODE]`: the contract's error code when the body carries one. */
export function outcomeLabel(kind: string, response: HttpResponse): string {
  if (response.status < 400) return `${kind} ${response.status}`;
  try {
    const code = (JSON.parse(response.body) as { error?: { code?: unknown } }).error?.code;
    return typeof code === "string" ? `${kind} ${response.status} ${code}` : `${kind} ${response.status}`;
  } catch {
    return `${kind} ${response.status}`;
  }
}

/** Network failures as outcome labels: `kind ERR ECONNRESET`. */
export function errorLabel(kind: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code ?? (error as Error)?.name ?? "Error";
  return `${kind} ERR ${code}`;
}
