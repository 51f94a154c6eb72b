import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

const WRITE_COMMANDS = new Set([
  "TransactWriteItemsCommand",
  "UpdateItemCommand",
  "PutItemCommand",
  "DeleteItemCommand",
  "BatchWriteItemCommand",
]);

interface Capacity {
  CapacityUnits?: number;
  WriteCapacityUnits?: number;
  ReadCapacityUnits?: number;
}

export interface MeteredCall {
  command: string;
  write: boolean;
  /** From ReturnConsumedCapacity, when the call asked for it and succeeded. */
  consumedUnits: number | undefined;
  failed: boolean;
  /** Items asked for by key: a BatchGetItem's keys, 1 for a GetItem, 0 otherwise. */
  keys: number;
}

function keysAsked(command: string, input: unknown): number {
  if (command === "GetItemCommand") return 1;
  if (command !== "BatchGetItemCommand") return 0;
  const requests = (input as { RequestItems?: Record<string, { Keys?: unknown[] }> }).RequestItems ?? {};
  return Object.values(requests).reduce((sum, request) => sum + (request.Keys?.length ?? 0), 0);
}

/**
 * Records every DynamoDB call the client makes (command name, whether it writes, consumed capacity) with an
 * SDK middleware, so tests can count writes made against the real engine rather than trust the code's word.
 */
export function meterCalls(doc: DynamoDBDocumentClient) {
  const calls: MeteredCall[] = [];
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName);
      const keys = keysAsked(command, args.input);
      try {
        const result = await next(args);
        const consumed = (result.output as { ConsumedCapacity?: Capacity | Capacity[] }).ConsumedCapacity;
        const list = consumed === undefined ? undefined : Array.isArray(consumed) ? consumed : [consumed];
        calls.push({
          command,
          write: WRITE_COMMANDS.has(command),
          consumedUnits: list?.reduce((sum, c) => sum + (c.WriteCapacityUnits ?? c.CapacityUnits ?? 0), 0),
          failed: false,
          keys,
        });
        return result;
      } catch (error) {
        calls.push({ command, write: WRITE_COMMANDS.has(command), consumedUnits: undefined, failed: true, keys });
        throw error;
      }
    },
    { step: "initialize", name: "testCallMeter" },
  );
  return {
    calls,
    writes: () => calls.filter((call) => call.write),
    reads: () => calls.filter((call) => !call.write),
    reset: () => {
      calls.length = 0;
    },
  };
}
