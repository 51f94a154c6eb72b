/**
 * Arrival schedules for an open-loop generator: every request's intended start time is computed up
 * front from the rate profile, so nothing the system under test does can delay or thin the schedule.
 */

export type RateProfile =
  | { kind: "constant"; rate: number; durationMs: number }
  | { kind: "ramp"; from: number; to: number; durationMs: number }
  /** Base rate with a burst: linear rise to `peak` over `riseMs`, held for `holdMs`, then back to base. */
  | { kind: "spike"; base: number; peak: number; riseMs: number; holdMs: number; durationMs: number };

export type ArrivalProcess = "uniform" | "poisson";

/** Requests per second the profile asks for at `t` ms from its start. */
export function rateAt(profile: RateProfile, t: number): number {
  if (t < 0 || t >= profile.durationMs) return 0;
  switch (profile.kind) {
    case "constant":
      return profile.rate;
    case "ramp":
      return profile.from + ((profile.to - profile.from) * t) / profile.durationMs;
    case "spike": {
      if (t < profile.riseMs) return profile.base + ((profile.peak - profile.base) * t) / profile.riseMs;
      if (t < profile.riseMs + profile.holdMs) return profile.peak;
      return profile.base;
    }
  }
}

/** Requests the profile asks for in total (the integral of its rate, by the same 1 ms trapezoids as arrivalTimes). */
export function expectedCount(profile: RateProfile): number {
  let total = 0;
  forEachStep(profile, (_t, _width, added) => {
    total += added;
  });
  return total;
}

function forEachStep(profile: RateProfile, visit: (t: number, width: number, added: number) => void): void {
  const stepMs = 1;
  for (let t = 0; t < profile.durationMs; t += stepMs) {
    const width = Math.min(stepMs, profile.durationMs - t);
    const rateStart = rateAt(profile, t);
    const rateEnd = t + width < profile.durationMs ? rateAt(profile, t + width) : rateStart;
    visit(t, width, ((rateStart + rateEnd) / 2) * (width / 1000));
  }
}

/**
 * Intended start times (ms from the profile's start, ascending). The cumulative count Λ(t) = ∫rate is
 * inverted numerically: "uniform" puts the n-th request where Λ reaches n (evenly spaced at a constant
 * rate); "poisson" puts them where Λ reaches a running sum of unit exponentials (a non-homogeneous
 * Poisson process, by time rescaling), for a crowd whose members do not coordinate.
 */
export function arrivalTimes(
  profile: RateProfile,
  process: ArrivalProcess = "uniform",
  random: () => number = Math.random,
): number[] {
  const times: number[] = [];
  const nextThreshold =
    process === "uniform"
      ? (n: number) => n
      : (() => {
          let sum = 0;
          return () => (sum += -Math.log(1 - random()));
        })();
  let threshold = nextThreshold(0);
  let cumulative = 0;
  forEachStep(profile, (t, width, added) => {
    // The epsilon keeps float drift from adding an arrival exactly at the phase end.
    while (added > 0 && cumulative + added > threshold + 1e-9) {
      times.push(t + ((threshold - cumulative) / added) * width);
      threshold = nextThreshold(times.length);
    }
    cumulative += added;
  });
  return times;
}

/** One phase of a scenario: a name, a rate profile, and what its requests do (decided by the scenario). */
export interface Phase {
  name: string;
  profile: RateProfile;
}

/** The whole run's schedule: intended start (ms from run start) and phase index per request. */
export interface Schedule {
  phaseNames: string[];
  /** Phase start offsets (ms from run start) and durations. */
  phaseStarts: number[];
  phaseDurations: number[];
  at: Float64Array;
  phase: Uint8Array;
  durationMs: number;
}

export function buildSchedule(
  phases: Phase[],
  process: ArrivalProcess = "uniform",
  random: () => number = Math.random,
): Schedule {
  if (phases.length === 0) throw new Error("a schedule needs at least one phase");
  if (phases.length > 255) throw new Error("at most 255 phases");
  const perPhase = phases.map((phase) => arrivalTimes(phase.profile, process, random));
  const total = perPhase.reduce((sum, times) => sum + times.length, 0);
  const at = new Float64Array(total);
  const phase = new Uint8Array(total);
  const phaseStarts: number[] = [];
  let offset = 0;
  let i = 0;
  perPhase.forEach((times, index) => {
    phaseStarts.push(offset);
    for (const t of times) {
      at[i] = offset + t;
      phase[i] = index;
      i++;
    }
    offset += phases[index]!.profile.durationMs;
  });
  return {
    phaseNames: phases.map((p) => p.name),
    phaseStarts,
    phaseDurations: phases.map((p) => p.profile.durationMs),
    at,
    phase,
    durationMs: offset,
  };
}

/** Parses `constant`, `ramp` or `spike` with a peak rate and duration into a profile (CLI helper). */
export function profileFromName(name: string, peak: number, durationMs: number, base = peak / 4): RateProfile {
  switch (name) {
    case "constant":
      return { kind: "constant", rate: peak, durationMs };
    case "ramp":
      return { kind: "ramp", from: base, to: peak, durationMs };
    case "spike":
      return { kind: "spike", base, peak, riseMs: Math.min(500, durationMs / 4), holdMs: durationMs / 2, durationMs };
    default:
      throw new Error(`unknown rate profile '${name}': use constant, ramp or spike`);
  }
}
