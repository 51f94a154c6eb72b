import * as pulumi from "@pulumi/pulumi";

/**
 * Resource options for data that must outlive any mistake (the table, the user pool). `protect` follows
 * `deletionProtection` (the engine refuses to delete or replace a protected resource), but `retainOnDelete` does
 * not: outside `dev` it is always on, so turning deletion protection off to tear a stack down still leaves the
 * table and the user pool in AWS when `pulumi destroy` removes them from the stack (delete them by hand when you
 * really mean it: infra/README.md, "Tearing down"). On `dev` only `deletionProtection=true` retains them.
 */
export function durableOptions(
  deletionProtection: boolean,
): Pick<pulumi.CustomResourceOptions, "protect" | "retainOnDelete"> {
  return { protect: deletionProtection, retainOnDelete: deletionProtection || pulumi.getStack() !== "dev" };
}
