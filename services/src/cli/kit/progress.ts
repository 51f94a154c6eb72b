import { SingleBar } from "cli-progress";

/**
 * Progress on stderr, on cli-progress: a bar for work of known size, a live status line for a run.
 * On a terminal it redraws in place; elsewhere (CI logs, pipes) `bar` prints a plain line every few
 * seconds and `statusLine` prints nothing, so logs never fill with carriage returns.
 */
export interface Progress {
  update(done: number): void;
  finish(): void;
}

function display(stream: NodeJS.WriteStream, format: string, lines: boolean): SingleBar {
  return new SingleBar({
    format,
    stream,
    barsize: 30,
    barCompleteChar: "#",
    barIncompleteChar: " ",
    hideCursor: true,
    linewrap: false,
    noTTYOutput: lines,
    notTTYSchedule: 2_000,
    emptyOnZero: true,
  });
}

/** A bar for `total` pieces of work; `finish` prints "<label>: <total> done in <s> s" on every stream. */
export function progressBar(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = Date.now();
  const bar = display(stream, `${label} [{bar}] {value}/{total}`, true);
  bar.start(total, 0);
  return {
    update: (done) => bar.update(done),
    finish() {
      bar.update(total);
      bar.stop();
      stream.write(`${label}: ${total} done in ${((Date.now() - started) / 1_000).toFixed(1)} s\n`);
    },
  };
}

/** A live line redrawn from `render()` on each `tick`: only on a terminal and unless `quiet`. */
export function statusLine(
  render: () => string,
  options: { quiet?: boolean; stream?: NodeJS.WriteStream } = {},
): { enabled: boolean; tick(): void; done(): void } {
  const stream = options.stream ?? process.stderr;
  const enabled = !options.quiet && stream.isTTY === true;
  const line = enabled ? display(stream, "{line}", false) : undefined;
  line?.start(0, 0, { line: "" });
  return {
    enabled,
    tick: () => line?.update(0, { line: render() }),
    done() {
      line?.update(0, { line: "" });
      line?.stop();
    },
  };
}
