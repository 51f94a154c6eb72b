/** A child engine the local stack runs: something with a process that can end. */
export interface EngineProcess {
  pid: number;
  exited: Promise<unknown>;
  stop(): Promise<void>;
}

export interface Supervised<E extends EngineProcess> {
  /** The engine running now (a restart replaces it). */
  current(): E;
  stop(): Promise<void>;
}

const RESTART_DELAYS_MS = [250, 1_000, 2_000, 5_000];

/**
 * Keeps an engine running: when it dies unexpectedly, says so and starts it again (same port, same
 * data), retrying with growing pauses until it is back or the stack stops. Meanwhile the API answers
 * 503 TRY_AGAIN, since every request to a dead engine is refused.
 */
export function supervise<E extends EngineProcess>(
  name: string,
  first: E,
  restart: () => Promise<E>,
  say: (line: string) => void,
): Supervised<E> {
  let engine = first;
  let stopping = false;

  const watch = (watched: E) => {
    void watched.exited.then(async (status) => {
      if (stopping || watched !== engine) return;
      const diedAt = Date.now();
      say(
        `✖ ${name} (pid ${watched.pid}) exited unexpectedly (${describe(status)}); the API answers 503 TRY_AGAIN until it is back. Restarting it on the same data…`,
      );
      for (let attempt = 0; !stopping; attempt++) {
        await new Promise((resolve) =>
          setTimeout(resolve, RESTART_DELAYS_MS[Math.min(attempt, RESTART_DELAYS_MS.length - 1)]),
        );
        if (stopping) return;
        try {
          engine = await restart();
          if (stopping) return void engine.stop();
          say(`✔ ${name} is back (pid ${engine.pid}) after ${((Date.now() - diedAt) / 1_000).toFixed(1)} s.`);
          watch(engine);
          return;
        } catch (error) {
          say(`✖ ${name} did not restart (${(error as Error).message.split("\n")[0]}); trying again…`);
        }
      }
    });
  };
  watch(first);

  return {
    current: () => engine,
    stop: async () => {
      stopping = true;
      await engine.stop();
    },
  };
}

function describe(status: unknown): string {
  if (typeof status === "object" && status !== null) {
    const { code, signal, lastWords } = status as { code?: number | null; signal?: string | null; lastWords?: string };
    const said = lastWords ? `; it last said: ${lastWords.slice(0, 500)}` : "";
    if (signal) return `signal ${signal}${said}`;
    if (code !== undefined && code !== null) return `exit code ${code}${said}`;
  }
  return typeof status === "number" ? `exit code ${status}` : "no status";
}
