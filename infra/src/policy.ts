/** IAM policy documents as typed values, so every grant in the program is visible to the tests that walk them. */
import * as pulumi from "@pulumi/pulumi";

export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action: string | string[];
  Resource?: pulumi.Input<string> | pulumi.Input<string>[];
  Principal?: Record<string, string | string[]>;
  Condition?: Record<string, Record<string, pulumi.Input<string>>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Statement[];
}

/** The JSON policy text once every ARN in it is known. */
export function policyJson(...statements: Statement[]): pulumi.Output<string> {
  const document: PolicyDocument = { Version: "2012-10-17", Statement: statements };
  return pulumi.jsonStringify(pulumi.output(document));
}

/** A role trust policy letting one AWS service assume the role. */
export function assumeRolePolicy(service: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: service } }],
  });
}
