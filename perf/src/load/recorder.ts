import { decodeHistogram, encodeHistogram, newHistogram, type Histogram } from "./histograms";

/**
 * How an outcome counts in charts: 2xx, a business "no" (409), "not now, try again" (shed or throttled:
 * 503 TRY_AGAIN from the gateway or the shop, 429 from API Gateway's throttle), anything else, or never sent.
 */
export type OutcomeClass = "ok" | "rejected" | "tryAgain" | "error" | "dropped";

/** Outcome labels look like `purchase 201`, `purchase 409 SOLD_OUT`, `listing ERR ECONNRESET`, `purchase dropped`. */
export function outcomeClass(label: string): OutcomeClass {
  const status = label.split(" ")[1] ?? "";
  if (status === "dropped") return "dropped";
  if (/^2\d\d$/.test(status)) return "ok";
  if (status === "409") return "rejected";
  if (status === "503" || status === "429") return "tryAgain";
  return "error";
}

export interface TimelineSecond {
  /** Requests whose intended start fell in this second and were sent. */
  dispatched: number;
  /** Responses that arrived in this second, by class. */
  completed: Record<OutcomeClass, number>;
  /** The same, by outcome label (`purchase 201`, `purchase 503 TRY_AGAIN`, `purchase dropped`, ...). */
  outcomes: Record<string, number>;
  /** Latency (from intended start) of requests intended in this second. */
  latency: Histogram;
}

/** The serialisable form: what a run writes and an agent uploads; histograms HdrHistogram-encoded. */
export interface RecordingData {
  format: "flash-sale-recording/1";
  startedAtEpochMs: number;
  durationMs: number;
  phaseNames: string[];
  counts: { scheduled: number; dispatched: number; dropped: number; completed: number };
  outcomes: Record<string, number>;
  phaseOutcomes: Record<string, Record<string, number>>;
  histograms: Record<string, string>;
  dispatchLag: string;
  /** `outcomes` per second is absent in recordings made before it existed. */
  timeline: Array<{
    second: number;
    dispatched: number;
    completed: Record<OutcomeClass, number>;
    outcomes?: Record<string, number>;
    latency: string;
  }>;
}

const emptyClasses = (): Record<OutcomeClass, number> => ({ ok: 0, rejected: 0, tryAgain: 0, error: 0, dropped: 0 });
const countLabel = (counts: Record<string, number>, label: string, n = 1) =>
  void (counts[label] = (counts[label] ?? 0) + n);

/**
 * Everything measured about one run: latency histograms overall, per phase and per outcome, outcome
 * counts, a per-second timeline and how late the generator sent each request. Latency is always taken
 * from the request's INTENDED start, so a slow system cannot hide by delaying the requests behind it.
 */
export class Recorder {
  readonly histograms = new Map<string, Histogram>();
  readonly outcomes = new Map<string, number>();
  readonly phaseOutcomes = new Map<string, Map<string, number>>();
  readonly timeline: TimelineSecond[] = [];
  dispatchLag = newHistogram();
  counts = { scheduled: 0, dispatched: 0, dropped: 0, completed: 0 };

  constructor(
    readonly phaseNames: string[],
    readonly startedAtEpochMs: number,
    public durationMs = 0,
  ) {}

  histogram(key: string): Histogram {
    let histogram = this.histograms.get(key);
    if (!histogram) {
      histogram = newHistogram();
      this.histograms.set(key, histogram);
    }
    return histogram;
  }

  /** A request left `lateMs` after its intended start (ms from run start). */
  onDispatch(intendedMs: number, lateMs: number): void {
    this.counts.dispatched++;
    this.second(intendedMs).dispatched++;
    this.dispatchLag.recordValue(Math.max(1, Math.round(lateMs * 1000)));
  }

  /** The generator could not send it (too many in flight): the generator, not the system, was the limit. */
  onDrop(phase: number, kind: string, intendedMs: number): void {
    this.counts.dropped++;
    this.count(phase, `${kind} dropped`);
    this.second(intendedMs).completed.dropped++;
    countLabel(this.second(intendedMs).outcomes, `${kind} dropped`);
  }

  onComplete(phase: number, label: string, intendedMs: number, endMs: number): void {
    this.counts.completed++;
    this.count(phase, label);
    const latencyUs = Math.max(1, Math.round((endMs - intendedMs) * 1000));
    this.histogram("all").recordValue(latencyUs);
    this.histogram(`phase:${this.phaseNames[phase] ?? phase}`).recordValue(latencyUs);
    this.histogram(`outcome:${label}`).recordValue(latencyUs);
    this.second(intendedMs).latency.recordValue(latencyUs);
    this.second(endMs).completed[outcomeClass(label)]++;
    countLabel(this.second(endMs).outcomes, label);
  }

  private count(phase: number, label: string): void {
    this.outcomes.set(label, (this.outcomes.get(label) ?? 0) + 1);
    const name = this.phaseNames[phase] ?? String(phase);
    let perPhase = this.phaseOutcomes.get(name);
    if (!perPhase) this.phaseOutcomes.set(name, (perPhase = new Map()));
    perPhase.set(label, (perPhase.get(label) ?? 0) + 1);
  }

  private second(ms: number): TimelineSecond {
    const index = Math.max(0, Math.floor(ms / 1000));
    while (this.timeline.length <= index)
      this.timeline.push({ dispatched: 0, completed: emptyClasses(), outcomes: {}, latency: newHistogram() });
    return this.timeline[index]!;
  }

  toData(): RecordingData {
    return {
      format: "flash-sale-recording/1",
      startedAtEpochMs: this.startedAtEpochMs,
      durationMs: this.durationMs,
      phaseNames: this.phaseNames,
      counts: { ...this.counts },
      outcomes: Object.fromEntries(this.outcomes),
      phaseOutcomes: Object.fromEntries(
        [...this.phaseOutcomes].map(([phase, counts]) => [phase, Object.fromEntries(counts)]),
      ),
      histograms: Object.fromEntries([...this.histograms].map(([key, histogram]) => [key, encodeHistogram(histogram)])),
      dispatchLag: encodeHistogram(this.dispatchLag),
      timeline: this.timeline.map((second, index) => ({
        second: index,
        dispatched: second.dispatched,
        completed: { ...second.completed },
        outcomes: { ...second.outcomes },
        latency: encodeHistogram(second.latency),
      })),
    };
  }

  static fromData(data: RecordingData): Recorder {
    if (data.format !== "flash-sale-recording/1")
      throw new Error(`not a flash-sale recording (format ${String(data.format)})`);
    const recorder = new Recorder([...data.phaseNames], data.startedAtEpochMs, data.durationMs);
    recorder.addData(data);
    return recorder;
  }

  /**
   * Adds another recording (e.g. another agent's) into this one. Timelines are aligned on wall-clock
   * seconds, so agents that started together line up.
   */
  addData(data: RecordingData): void {
    for (const name of data.phaseNames) if (!this.phaseNames.includes(name)) this.phaseNames.push(name);
    this.counts.scheduled += data.counts.scheduled;
    this.counts.dispatched += data.counts.dispatched;
    this.counts.dropped += data.counts.dropped;
    this.counts.completed += data.counts.completed;
    for (const [label, n] of Object.entries(data.outcomes))
      this.outcomes.set(label, (this.outcomes.get(label) ?? 0) + n);
    for (const [phase, counts] of Object.entries(data.phaseOutcomes)) {
      let perPhase = this.phaseOutcomes.get(phase);
      if (!perPhase) this.phaseOutcomes.set(phase, (perPhase = new Map()));
      for (const [label, n] of Object.entries(counts)) perPhase.set(label, (perPhase.get(label) ?? 0) + n);
    }
    for (const [key, encoded] of Object.entries(data.histograms)) this.histogram(key).add(decodeHistogram(encoded));
    this.dispatchLag.add(decodeHistogram(data.dispatchLag));
    const shift = Math.round((data.startedAtEpochMs - this.startedAtEpochMs) / 1000);
    for (const entry of data.timeline) {
      const second = this.second((entry.second + shift) * 1000);
      second.dispatched += entry.dispatched;
      for (const outcome of Object.keys(entry.completed) as OutcomeClass[])
        second.completed[outcome] += entry.completed[outcome];
      for (const [label, n] of Object.entries(entry.outcomes ?? {})) countLabel(second.outcomes, label, n);
      second.latency.add(decodeHistogram(entry.latency));
    }
    this.durationMs = Math.max(this.durationMs, data.durationMs + shift * 1000);
  }
}

/** Merges recordings (agents → one fleet run); the earliest start becomes the merged start. */
export function mergeRecordings(recordings: RecordingData[]): Recorder {
  if (recordings.length === 0) throw new Error("no recordings to merge");
  const sorted = [...recordings].sort((a, b) => a.startedAtEpochMs - b.startedAtEpochMs);
  const merged = new Recorder([], sorted[0]!.startedAtEpochMs, 0);
  for (const recording of sorted) merged.addData(recording);
  return merged;
}
