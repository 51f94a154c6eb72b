/**
 * The program's AWS provider. Every component gets it through `providers`, so every resource carries the
 * stack's default tags (cost allocation, ownership, "who made this?" in a shared account). Resources that must
 * live elsewhere (the CloudFront web ACL, in us-east-1) set their own `region`: AWS provider 7 supports that per
 * resource, so one provider and one set of tags serve the whole stack.
 *
 * Explicit providers do not read the `aws:` stack config by themselves: `aws:region` and `aws:profile` are
 * forwarded here; anything else comes from the environment (AWS_REGION, AWS_PROFILE, ...).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "./config";

export function stackTags(stack: string): Record<string, string> {
  return { project: PROJECT, stack, "managed-by": "pulumi" };
}

export function createProvider(prefix: string, stack: string): aws.Provider {
  const awsConfig = new pulumi.Config("aws");
  const region = awsConfig.get("region");
  const profile = awsConfig.get("profile");
  return new aws.Provider(`${prefix}-aws`, {
    defaultTags: { tags: stackTags(stack) },
    ...(region === undefined ? {} : { region }),
    ...(profile === undefined ? {} : { profile }),
  });
}
