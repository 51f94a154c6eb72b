/**
 * The stack's own outputs from its last `pulumi up`, read through a StackReference to itself: the only record of
 * what the program asked for before (the table's name and warm throughput). Empty on the first deployment.
 */
import * as pulumi from "@pulumi/pulumi";
import type { DeployedTable } from "./warm-throughput";

export function lastDeployment(name: string): pulumi.Output<DeployedTable> {
  const self = new pulumi.StackReference(name, {
    name: `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`,
  });
  return pulumi
    .all([self.getOutput("tableName"), self.getOutput("tableWarmThroughput")])
    .apply(([tableName, tableWarmThroughput]) => ({
      ...(typeof tableName === "string" ? { tableName } : {}),
      ...(tableWarmThroughput ? { tableWarmThroughput } : {}),
    }));
}
