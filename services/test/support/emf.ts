/**
 * Captures stdout from now until `done()`, which gives it back as the JSON documents of its lines (EMF metrics,
 * log lines).
 */
export function capturingStdout(): { done(): Record<string, any>[] } {
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return {
    done() {
      write.mockRestore();
      return lines
        .join("")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line));
    },
  };
}

/** What a piece of work prints on stdout while it runs, as JSON documents. */
export async function jsonPrinted(work: () => unknown): Promise<Record<string, any>[]> {
  const capture = capturingStdout();
  let documents: Record<string, any>[];
  try {
    await work();
  } finally {
    documents = capture.done();
  }
  return documents;
}

/** One EMF document's namespace, dimension sets and metric name -> value. */
export function emfOf(document: Record<string, any>) {
  const directive = document._aws.CloudWatchMetrics[0];
  return {
    namespace: directive.Namespace as string,
    dimensions: directive.Dimensions as string[][],
    values: Object.fromEntries(
      directive.Metrics.map((metric: { Name: string }) => [metric.Name, document[metric.Name]]),
    ) as Record<string, number>,
    units: directive.Metrics.map((metric: { Unit: string }) => metric.Unit) as string[],
  };
}
