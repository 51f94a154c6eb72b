import type * as pulumi from "@pulumi/pulumi";

/**
 * Resource options for data that must outlive any mistake (the table, the user pool) outside dev: the engine
 * refuses to delete or replace a protected resource, and retainOnDelete leaves it in AWS if it is ever removed
 * from the program or the stack is destroyed after `pulumi state unprotect`.
 */
export function durableOptions(durable: boolean): Pick<pulumi.CustomResourceOptions, "protect" | "retainOnDelete"> {
  return durable ? { protect: true, retainOnDelete: true } : {};
}
