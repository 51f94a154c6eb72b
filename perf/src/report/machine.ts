import { availableParallelism, loadavg } from "node:os";

/** The 1-minute load average, to print beside every figure (this machine's cores are shared). */
export const loadAverage = (): number => Math.round(loadavg()[0]! * 100) / 100;

/** "load average 3.71 on 2 cores": how busy the machine was while a figure was taken. */
export const loadLine = (): string => `load average ${loadAverage().toFixed(2)} on ${availableParallelism()} cores`;
