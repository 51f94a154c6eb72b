/**
 * The merchandisers' managed policy: exactly the DynamoDB actions `npm run stock` sends (load, add, status,
 * reshard; `plan` needs no table), on this table only, and the metrics `stock watch --metrics` reads. Measured, not guessed: services/test/iam-actions.test.ts
 * records what the CLI's code sends and infra/test/least-privilege.test.ts checks this list against it.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { policyJson } from "../policy";

export const MERCHANDISER_DYNAMODB_ACTIONS = [
  "dynamodb:BatchGetItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:DeleteItem",
  "dynamodb:GetItem",
  "dynamodb:Query",
  "dynamodb:Scan",
  "dynamodb:UpdateItem",
] as const;

export function merchandiserPolicy(
  name: string,
  tableArn: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): aws.iam.Policy {
  return new aws.iam.Policy(
    name,
    {
      description:
        "Merchandisers: load products and stock with `npm run stock` (load, add, status, reshard) on the flash-sale table, and watch a sale",
      policy: policyJson(
        {
          Sid: "StockCli",
          Effect: "Allow",
          Action: [...MERCHANDISER_DYNAMODB_ACTIONS],
          Resource: tableArn,
        },
        // `stock watch --metrics`: refusals and errors from the functions' metrics. GetMetricData has no resource
        // type (IAM cannot narrow it to a namespace), so "*" is the only resource it takes.
        { Sid: "SaleMetrics", Effect: "Allow", Action: "cloudwatch:GetMetricData", Resource: "*" },
      ),
    },
    opts,
  );
}
