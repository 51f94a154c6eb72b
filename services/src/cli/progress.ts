/** A progress bar on stderr for long work; a line per 10% when stderr is not a terminal (CI logs). */
export function progressBar(label: string, total: number) {
  const tty = process.stderr.isTTY === true;
  let lastDecile = -1;
  const started = Date.now();
  return {
    update(done: number): void {
      const fraction = total === 0 ? 1 : done / total;
      if (tty) {
        const width = 30;
        const filled = Math.round(fraction * width);
        process.stderr.write(`\r${label} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total}`);
      } else {
        const decile = Math.floor(fraction * 10);
        if (decile !== lastDecile) {
          lastDecile = decile;
          process.stderr.write(`${label}: ${done}/${total}\n`);
        }
      }
    },
    finish(): void {
      if (tty) process.stderr.write(`\n`);
      process.stderr.write(`${label}: ${total} done in ${((Date.now() - started) / 1_000).toFixed(1)} s\n`);
    },
  };
}
