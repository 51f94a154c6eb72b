import { warmEngine as warmDocumentClient, type Warmup } from "@flash-sale/local/engine-load";
import { createDocumentClient } from "@flash-sale/services/store";

export type { Warmup };

/** Warms the DynamoDB Local at `endpoint` in 2 s slices until two agree within 10% (services' warm-up, the one `npm start` uses). */
export async function warmEngine(
  endpoint: string,
  options: { maxSeconds: number; concurrency?: number },
): Promise<Warmup> {
  const doc = createDocumentClient({ region: "us-east-1", endpoint });
  try {
    return await warmDocumentClient(doc, {
      maxMs: options.maxSeconds * 1_000,
      sliceMs: 2_000,
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    });
  } finally {
    doc.destroy();
  }
}
