/**
 * The opt-in edge protection for the storefront's CloudFront distribution: a WAF web ACL with a rate-based rule
 * per client IP (blocks an address past `rateLimit` requests in 5 minutes) and AWS's managed common rule set
 * (the OWASP-style basics: bad inputs, oversized bodies, known exploit patterns). Off by default: a web ACL is
 * billed monthly per ACL and per rule even with no traffic (infra/README.md, "Edge protection").
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** CloudFront only accepts web ACLs made in us-east-1, whatever region the rest of the stack is in. */
export const CLOUDFRONT_WAF_REGION = "us-east-1";

export interface WebAclArgs {
  /** Requests per client IP per 5-minute window before that IP is blocked. */
  rateLimit: number;
}

const visibility = (metricName: string) => ({
  cloudwatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

export function storefrontWebAcl(name: string, args: WebAclArgs, opts: pulumi.CustomResourceOptions): aws.wafv2.WebAcl {
  return new aws.wafv2.WebAcl(
    name,
    {
      region: CLOUDFRONT_WAF_REGION,
      scope: "CLOUDFRONT",
      description: "Flash-sale storefront: per-IP rate limit and AWS common rules",
      defaultAction: { allow: {} },
      rules: [
        {
          name: "rate-per-ip",
          priority: 0,
          action: { block: {} },
          statement: {
            rateBasedStatement: { limit: args.rateLimit, aggregateKeyType: "IP", evaluationWindowSec: 300 },
          },
          visibilityConfig: visibility("rate-per-ip"),
        },
        {
          name: "aws-common-rules",
          priority: 1,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesCommonRuleSet" } },
          visibilityConfig: visibility("aws-common-rules"),
        },
      ],
      visibilityConfig: visibility("storefront"),
    },
    opts,
  );
}
