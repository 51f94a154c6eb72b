import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/** Transactions are authorised per item: each kind of item needs its own IAM action (DynamoDB API reference). */
const TRANSACT_ITEM_ACTIONS: Record<string, string> = {
  Put: "dynamodb:PutItem",
  Update: "dynamodb:UpdateItem",
  Delete: "dynamodb:DeleteItem",
  ConditionCheck: "dynamodb:ConditionCheckItem",
  Get: "dynamodb:GetItem",
};

/** The IAM actions one DynamoDB request needs: `dynamodb:<Operation>`, or its items' actions for a transaction. */
export function iamActionsOf(commandName: string, input: unknown): string[] {
  const operation = commandName.replace(/Command$/, "");
  if (operation !== "TransactWriteItems" && operation !== "TransactGetItems") return [`dynamodb:${operation}`];
  const items = (input as { TransactItems?: Record<string, unknown>[] }).TransactItems ?? [];
  return items.flatMap((item) =>
    Object.keys(item).map((kind) => {
      const action = TRANSACT_ITEM_ACTIONS[kind];
      if (!action) throw new Error(`unknown transaction item kind ${kind}`);
      return action;
    }),
  );
}

/**
 * Records, with an SDK middleware, the IAM actions every request the client SENDS needs (whether DynamoDB then
 * accepts, refuses or cancels it: a denied call fails just the same). The record is what a least-privilege
 * policy must grant, measured rather than declared.
 */
export function recordActions(doc: DynamoDBDocumentClient) {
  const actions = new Set<string>();
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      // lib-dynamodb marshalls in its own step; the command name and item kinds are the same either side.
      for (const action of iamActionsOf(String(context.commandName), args.input)) actions.add(action);
      return next(args);
    },
    { step: "initialize", name: "testActionRecorder" },
  );
  return {
    /** The actions recorded since the last take, sorted; clears the record. */
    take(): string[] {
      const taken = [...actions].sort();
      actions.clear();
      return taken;
    },
  };
}
