import { allowedCpus, type CpuPlacement, pinProcess, placeEngine } from "@flash-sale/local/cpu-affinity";

/**
 * With `auto` on a machine of two or more CPUs: DynamoDB Local on the last one alone, this process (the
 * generator) and everything it starts afterwards (the gateway and handlers, cognito-local) on the rest.
 * `restore` gives this process back the CPUs it had.
 */
export function cpuPlacement(
  choice: string,
  log: (line: string) => void,
): { placement?: CpuPlacement; restore: () => void } {
  const unchanged = { restore: () => undefined };
  if (choice === "none") return unchanged;
  const allowed = allowedCpus();
  const placement = allowed && placeEngine(allowed);
  if (!allowed || !placement) {
    log(
      `note: DynamoDB Local shares the CPUs with everything else (${allowed ? "only one CPU is allowed" : "taskset is not available"})`,
    );
    return unchanged;
  }
  pinProcess(process.pid, placement.others);
  log(
    `CPUs: DynamoDB Local on ${placement.engine} alone; the generator, gateway and cognito-local on ${placement.others} (--engine-cpu none to share them)`,
  );
  return { placement, restore: () => pinProcess(process.pid, allowed.join(",")) };
}

export function localNote(cpus: CpuPlacement | undefined): string {
  return cpus
    ? `local: DynamoDB Local ran alone on CPU ${cpus.engine}; the generator (its own process), the gateway with the handlers, and cognito-local shared CPU ${cpus.others}`
    : "local: the stack (gateway + handlers, DynamoDB Local, cognito-local) shares this machine's cores with the generator; the generator runs in its own process";
}
