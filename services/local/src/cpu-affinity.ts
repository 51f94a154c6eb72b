import { spawnSync } from "node:child_process";

/**
 * CPU placement for load runs on one machine (Linux `taskset`, from util-linux). DynamoDB Local
 * serialises its transactions behind one lock: when its threads share cores with a busy gateway and
 * load generator, the thread holding the lock is preempted and every other one waits, so the engine
 * burns its CPU and commits a third less. On a CPU of its own it keeps its pace, as DynamoDB does on
 * its own servers in AWS.
 */
export interface CpuPlacement {
  /** For DynamoDB Local's JVM. */
  engine: string;
  /** For everything else: the generator, the gateway and handlers, cognito-local. */
  others: string;
}

/** Parses a Linux CPU list ("0-3,6") into CPU numbers; undefined when it is not one. */
export function parseCpuList(list: string): number[] | undefined {
  const cpus: number[] = [];
  for (const part of list.trim().split(",")) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!range) return undefined;
    const first = Number(range[1]);
    const last = range[2] === undefined ? first : Number(range[2]);
    if (last < first) return undefined;
    for (let cpu = first; cpu <= last; cpu++) cpus.push(cpu);
  }
  return cpus;
}

/** The last allowed CPU for the engine, the others for the rest; undefined with fewer than two CPUs. */
export function placeEngine(allowed: readonly number[]): CpuPlacement | undefined {
  if (allowed.length < 2) return undefined;
  const sorted = [...allowed].sort((a, b) => a - b);
  return { engine: String(sorted[sorted.length - 1]), others: sorted.slice(0, -1).join(",") };
}

/** The CPUs a process may run on (its affinity), or undefined where `taskset` is missing or fails. */
export function allowedCpus(pid: number = process.pid): number[] | undefined {
  const probe = spawnSync("taskset", ["-c", "-p", String(pid)], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) return undefined;
  const list = /affinity list:\s*(\S+)/.exec(probe.stdout)?.[1];
  return list === undefined ? undefined : parseCpuList(list);
}

/** Moves a running process, every thread of it, onto `cpus`; its children started afterwards inherit them. */
export function pinProcess(pid: number, cpus: string): void {
  const result = spawnSync("taskset", ["-a", "-c", "-p", cpus, String(pid)], { encoding: "utf8" });
  if (result.error || result.status !== 0)
    throw new Error(
      `taskset could not move process ${pid} to CPU ${cpus}: ${result.error?.message ?? result.stderr.trim()}`,
    );
}

/** `command args` started on `cpus` only (all its threads), or unchanged without `cpus`. */
export function onCpus(cpus: string | undefined, command: string, args: string[]): [string, string[]] {
  return cpus === undefined ? [command, args] : ["taskset", ["-c", cpus, command, ...args]];
}
