import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";

export interface ContainerPool {
  purchase(shopper: string, sku: string, key: string): Promise<string>;
  /** Every shop reads its first catalog snapshot, as warm Lambda containers would have. */
  warm(sku: string): Promise<void>;
  close(): Promise<void>;
}

/** `processes` child processes with `shopsEach` shop instances each (see containers-child.ts). */
export async function startContainers(
  settings: { tableName: string; region: string; endpoint: string },
  processes: number,
  shopsEach: number,
): Promise<ContainerPool> {
  const waiting = new Map<number, (label: string) => void>();
  let nextId = 1;
  const children: ChildProcess[] = await Promise.all(
    Array.from({ length: processes }, () => {
      const child = fork(join(__dirname, "containers-child.ts"), [], {
        execArgv: ["--import", "tsx"],
        env: { ...process.env, PERF_CONTAINER_SETTINGS: JSON.stringify({ ...settings, shops: shopsEach }) },
        stdio: ["ignore", "ignore", "inherit", "ipc"],
      });
      return new Promise<ChildProcess>((resolve, reject) => {
        child.on("message", (message: { ready?: boolean; id?: number; label?: string }) => {
          if (message.ready) resolve(child);
          else if (message.id !== undefined) {
            waiting.get(message.id)?.(message.label ?? "purchase ERR NoLabel");
            waiting.delete(message.id);
          }
        });
        child.once("exit", (code) => reject(new Error(`a container process exited (code ${code})`)));
      });
    }),
  );
  let turn = 0;
  const send = (child: ChildProcess, message: Record<string, unknown>) =>
    new Promise<string>((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      child.send({ id, ...message });
    });
  return {
    purchase: (shopper, sku, key) => send(children[turn++ % children.length]!, { op: "purchase", shopper, sku, key }),
    warm: async (sku) => void (await Promise.all(children.map((child) => send(child, { op: "warm", sku })))),
    close: async () => {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null) return resolve();
              child.removeAllListeners("exit");
              child.once("exit", () => resolve());
              child.disconnect();
              setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
            }),
        ),
      );
    },
  };
}
