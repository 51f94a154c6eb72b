import { fork } from "node:child_process";
import { join } from "node:path";
import type { ProxyOptions, ProxyStats } from "./proxy";

export interface ProxyProcess {
  endpoint: string;
  stats(): Promise<ProxyStats>;
  /** Counters to zero, every partition's bucket empty: call right before a measurement. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the throttling proxy in a child process (see proxy-child.ts). */
export function startProxyProcess(options: ProxyOptions): Promise<ProxyProcess> {
  const child = fork(join(__dirname, "proxy-child.ts"), [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, PERF_PROXY_OPTIONS: JSON.stringify(options) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let nextId = 1;
  const waiting = new Map<number, (message: { stats?: ProxyStats }) => void>();
  const ask = (op: "stats" | "reset") =>
    new Promise<{ stats?: ProxyStats }>((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      child.send({ id, op });
    });
  return new Promise((resolve, reject) => {
    child.on("message", (message: { id?: number; ready?: string; failed?: string; stats?: ProxyStats }) => {
      if (message.ready) {
        resolve({
          endpoint: message.ready,
          stats: async () => (await ask("stats")).stats!,
          reset: async () => void (await ask("reset")),
          close: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done();
              child.once("exit", () => done());
              child.send({ id: 0, op: "close" });
              setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
            }),
        });
      } else if (message.failed) reject(new Error(`the throttling proxy failed to start: ${message.failed}`));
      else if (message.id !== undefined) {
        waiting.get(message.id)?.(message);
        waiting.delete(message.id);
      }
    });
    child.once("exit", (code) => reject(new Error(`the throttling proxy exited (code ${code})`)));
  });
}
