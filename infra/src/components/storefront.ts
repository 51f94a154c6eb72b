/**
 * The storefront: a private bucket read only by this CloudFront distribution (Origin Access Control), the API on
 * the same distribution under /api/* (same origin: no CORS, never cached, except the public routes' paths, which
 * are cached for as long as the API's own Cache-Control says, at most a second, behind an Origin Shield), and the
 * built web app uploaded with a runtime config.json generated from the stack, so one build serves every stack.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { originShieldRegionFor } from "../edge/public-routes";
import { policyJson } from "../policy";
import { isHashed, NO_CACHE, RUNTIME_CONFIG_KEY } from "@flash-sale/services/contract";
import { ORIGIN_SECRET_HEADER } from "@flash-sale/services/routes";
import { contentSecurityPolicy, HSTS_MAX_AGE_SECONDS, inlineScriptHashes } from "../site/security-headers";
import { listSiteFiles, type SiteFile } from "../site/site-files";
import { SPA_REWRITE_CODE } from "../site/spa-rewrite";
import { storefrontWebAcl, type WebAclArgs } from "../site/web-acl";

/** AWS managed CloudFront policies (fixed ids, the same in every account). */
export const MANAGED_POLICY = {
  cachingOptimized: "658327ea-f89d-4fab-a63d-7e88639e58f6",
  cachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
  /** Every viewer header (Authorization included, allowed because caching is disabled) except Host, which API Gateway must see as its own. */
  allViewerExceptHostHeader: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
};

const WEB_ORIGIN = "web";
/** The app's entry page: it names the build's hashed chunks, so it goes up after them. */
const INDEX_KEY = "index.html";
const API_ORIGIN = "api";
/** The same API behind an Origin Shield: every edge's misses for a public path meet in one regional cache. */
const SHIELDED_API_ORIGIN = "api-shielded";
/** The longest CloudFront keeps a public API response, whatever the API says: shoppers never see stock older than this. */
export const PUBLIC_API_MAX_TTL_SECONDS = 1;
/**
 * Error statuses CloudFront would otherwise keep for its default error-caching minimum TTL (10 s, whatever the
 * origin's Cache-Control says for a 5xx): a one-second 503 from /api/availability would become 10-20 s of errors
 * for every shopper behind an edge. Custom error responses apply to the whole distribution, so these carry no
 * response page or code: the API's JSON error bodies and S3's answers pass through untouched (the SPA's deep links
 * are the viewer-request function's job, site/spa-rewrite.ts), only never cached.
 */
export const UNCACHED_ERROR_CODES = [403, 404, 500, 502, 503, 504] as const;

export interface StorefrontArgs {
  /** Built storefront (web/dist/browser); when missing, the stack deploys without site files and says so. */
  siteDir: string;
  /** API Gateway host and stage name: /api/* is forwarded there unchanged, so the stage must be named `api`. */
  apiHost: pulumi.Input<string>;
  apiStageName: string;
  /** Sent to the API with every forwarded request in ORIGIN_SECRET_HEADER; the API refuses requests without it. */
  originSecret: pulumi.Input<string>;
  /** CloudFront path patterns (under /api/) of the API's public GET routes: cached, not forwarded with viewer headers. */
  publicApiPathPatterns?: readonly string[];
  region: pulumi.Input<string>;
  userPoolId: pulumi.Input<string>;
  userPoolClientId: pulumi.Input<string>;
  /** Opt-in WAF web ACL on the distribution (config `webAcl`); absent = none. */
  webAcl?: WebAclArgs;
}

export class Storefront extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  readonly distribution: aws.cloudfront.Distribution;
  /** How CloudFront caches the public API paths (absent when there are none). */
  readonly publicApiCachePolicy: aws.cloudfront.CachePolicy | undefined;
  readonly webAcl: aws.wafv2.WebAcl | undefined;
  /** The security headers CloudFront adds to every response (HSTS, CSP, frame-ancestors, referrer policy). */
  readonly securityHeaders: aws.cloudfront.ResponseHeadersPolicy;
  /** https://<distribution>.cloudfront.net */
  readonly url: pulumi.Output<string>;
  /** The API as the storefront calls it: https://<distribution>.cloudfront.net/api */
  readonly apiUrl: pulumi.Output<string>;
  readonly uploadedKeys: string[] = [];

  constructor(name: string, args: StorefrontArgs, opts?: pulumi.ComponentResourceOptions) {
    super("flash-sale:storefront:Storefront", name, {}, opts);
    if (args.apiStageName !== "api")
      throw new Error(
        `the API stage must be named "api" for CloudFront's /api/* to reach it, got "${args.apiStageName}"`,
      );

    // Site files are rebuilt from source, so destroying the stack may empty the bucket.
    this.bucket = new aws.s3.Bucket(`${name}-bucket`, { forceDestroy: true }, { parent: this });
    const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access-block`,
      {
        bucket: this.bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      { parent: this },
    );
    new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket: this.bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
      { parent: this },
    );

    const oac = new aws.cloudfront.OriginAccessControl(
      `${name}-oac`,
      {
        name: `${name}-oac`,
        description: "CloudFront reads the storefront bucket",
        originAccessControlOriginType: "s3",
        signingBehavior: "always",
        signingProtocol: "sigv4",
      },
      { parent: this },
    );
    const spaRewrite = new aws.cloudfront.Function(
      `${name}-spa-rewrite`,
      {
        name: `${name}-spa-rewrite`,
        runtime: "cloudfront-js-2.0",
        comment: "Extensionless paths serve index.html",
        publish: true,
        code: SPA_REWRITE_CODE,
      },
      { parent: this },
    );

    const publicPaths = args.publicApiPathPatterns ?? [];
    const apiOriginConfig = {
      httpPort: 80,
      httpsPort: 443,
      originProtocolPolicy: "https-only",
      originSslProtocols: ["TLSv1.2"],
    };
    // CloudFront sets this header itself, replacing any a viewer sends under the same name.
    const originSecretHeader = [{ name: ORIGIN_SECRET_HEADER, value: args.originSecret }];
    this.publicApiCachePolicy =
      publicPaths.length === 0
        ? undefined
        : new aws.cloudfront.CachePolicy(
            `${name}-public-api`,
            {
              name: `${name}-public-api`,
              comment:
                "Public API reads: the origin's max-age (at most 1 s); one copy for everyone (no cookies, headers or query in the key)",
              // The origin decides (Cache-Control: public, max-age=1); without that header, nothing is kept.
              minTtl: 0,
              defaultTtl: 0,
              maxTtl: PUBLIC_API_MAX_TTL_SECONDS,
              parametersInCacheKeyAndForwardedToOrigin: {
                cookiesConfig: { cookieBehavior: "none" },
                headersConfig: { headerBehavior: "none" },
                queryStringsConfig: { queryStringBehavior: "none" },
                enableAcceptEncodingGzip: true,
                enableAcceptEncodingBrotli: true,
              },
            },
            { parent: this },
          );
    const files = listSiteFiles(args.siteDir);
    const index = files?.find((file) => file.key === INDEX_KEY);
    const scriptHashes = index ? inlineScriptHashes(readFileSync(index.source, "utf8")) : [];
    this.securityHeaders = new aws.cloudfront.ResponseHeadersPolicy(
      `${name}-security-headers`,
      {
        name: `${name}-security-headers`,
        comment: "HSTS, CSP (scripts from the site and its build's inline script only), no framing, referrer policy",
        securityHeadersConfig: {
          strictTransportSecurity: {
            accessControlMaxAgeSec: HSTS_MAX_AGE_SECONDS,
            includeSubdomains: true,
            override: true,
          },
          contentSecurityPolicy: {
            contentSecurityPolicy: pulumi
              .output(args.region)
              .apply((region) => contentSecurityPolicy({ region, inlineScriptHashes: scriptHashes })),
            override: true,
          },
          frameOptions: { frameOption: "DENY", override: true },
          referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
          contentTypeOptions: { override: true },
        },
      },
      { parent: this },
    );
    const responseHeadersPolicyId = this.securityHeaders.id;
    this.webAcl = args.webAcl ? storefrontWebAcl(`${name}-waf`, args.webAcl, { parent: this }) : undefined;

    this.distribution = new aws.cloudfront.Distribution(
      `${name}-cdn`,
      {
        enabled: true,
        comment: `${name}: storefront and /api/*`,
        isIpv6Enabled: true,
        httpVersion: "http2and3",
        // North America and Europe edges only: the cheapest class; widen for a global audience.
        priceClass: "PriceClass_100",
        defaultRootObject: "index.html",
        origins: [
          { originId: WEB_ORIGIN, domainName: this.bucket.bucketRegionalDomainName, originAccessControlId: oac.id },
          {
            originId: API_ORIGIN,
            domainName: args.apiHost,
            customOriginConfig: apiOriginConfig,
            customHeaders: originSecretHeader,
          },
          ...(this.publicApiCachePolicy
            ? [
                {
                  originId: SHIELDED_API_ORIGIN,
                  domainName: args.apiHost,
                  customOriginConfig: apiOriginConfig,
                  customHeaders: originSecretHeader,
                  originShield: {
                    enabled: true,
                    originShieldRegion: pulumi.output(args.region).apply(originShieldRegionFor),
                  },
                },
              ]
            : []),
        ],
        defaultCacheBehavior: {
          targetOriginId: WEB_ORIGIN,
          viewerProtocolPolicy: "redirect-to-https",
          allowedMethods: ["GET", "HEAD", "OPTIONS"],
          cachedMethods: ["GET", "HEAD"],
          compress: true,
          cachePolicyId: MANAGED_POLICY.cachingOptimized,
          responseHeadersPolicyId,
          functionAssociations: [{ eventType: "viewer-request", functionArn: spaRewrite.arn }],
        },
        // First match wins: the public paths before the catch-all /api/*.
        orderedCacheBehaviors: [
          ...publicPaths.map((pathPattern) => ({
            pathPattern,
            targetOriginId: SHIELDED_API_ORIGIN,
            viewerProtocolPolicy: "https-only",
            allowedMethods: ["GET", "HEAD"],
            cachedMethods: ["GET", "HEAD"],
            compress: true,
            cachePolicyId: this.publicApiCachePolicy!.id,
            responseHeadersPolicyId,
          })),
          {
            pathPattern: "/api/*",
            targetOriginId: API_ORIGIN,
            // A plain-http API call is refused rather than redirected: a redirected POST would lose its body.
            viewerProtocolPolicy: "https-only",
            allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
            cachedMethods: ["GET", "HEAD"],
            compress: true,
            cachePolicyId: MANAGED_POLICY.cachingDisabled,
            originRequestPolicyId: MANAGED_POLICY.allViewerExceptHostHeader,
            responseHeadersPolicyId,
          },
        ],
        customErrorResponses: UNCACHED_ERROR_CODES.map((errorCode) => ({ errorCode, errorCachingMinTtl: 0 })),
        restrictions: { geoRestriction: { restrictionType: "none" } },
        viewerCertificate: { cloudfrontDefaultCertificate: true },
        // WAFv2 web ACLs are attached by ARN.
        ...(this.webAcl ? { webAclId: this.webAcl.arn } : {}),
      },
      { parent: this },
    );

    new aws.s3.BucketPolicy(
      `${name}-bucket-policy`,
      {
        bucket: this.bucket.id,
        policy: policyJson({
          Sid: "CloudFrontReadsThisDistributionOnly",
          Effect: "Allow",
          Principal: { Service: "cloudfront.amazonaws.com" },
          Action: "s3:GetObject",
          Resource: pulumi.interpolate`${this.bucket.arn}/*`,
          Condition: { StringEquals: { "AWS:SourceArn": this.distribution.arn } },
        }),
      },
      { parent: this, dependsOn: [publicAccessBlock] },
    );

    this.url = pulumi.interpolate`https://${this.distribution.domainName}`;
    this.apiUrl = pulumi.interpolate`${this.url}/${args.apiStageName}`;
    this.uploadSite(name, args, files);
    this.registerOutputs({ url: this.url, apiUrl: this.apiUrl, bucketName: this.bucket.bucket });
  }

  private uploadSite(name: string, args: StorefrontArgs, files: SiteFile[] | undefined): void {
    if (files === undefined) {
      pulumi.log.warn(
        `${args.siteDir} does not exist: deploying the storefront without site files. Build the web app (npm run build -w web) and run pulumi up again.`,
        this,
      );
    } else {
      // index.html names this build's chunks: it is uploaded last, once every other file of the build is there.
      const entry = files.filter((file) => file.key === INDEX_KEY);
      const others: aws.s3.BucketObjectv2[] = [];
      for (const file of [...files.filter((f) => f.key !== INDEX_KEY), ...entry]) {
        const object = new aws.s3.BucketObjectv2(
          `${name}-file-${file.key}`,
          {
            bucket: this.bucket.id,
            key: file.key,
            source: new pulumi.asset.FileAsset(file.source),
            contentType: file.contentType,
            cacheControl: file.cacheControl,
          },
          {
            parent: this,
            // A hashed chunk outlives the build that made it: a tab still running the previous index.html
            // lazy-loads that build's chunks after a redeploy. Pulumi forgets them; the bucket keeps them
            // (small, immutable, never served to the new build) until the stack is destroyed.
            retainOnDelete: isHashed(file.key),
            ...(file.key === INDEX_KEY ? { dependsOn: others } : {}),
          },
        );
        if (file.key !== INDEX_KEY) others.push(object);
        this.uploadedKeys.push(file.key);
      }
    }
    const runtimeConfig = pulumi.jsonStringify({
      apiUrl: this.apiUrl,
      region: args.region,
      userPoolId: args.userPoolId,
      userPoolClientId: args.userPoolClientId,
    });
    new aws.s3.BucketObjectv2(
      `${name}-runtime-config`,
      {
        bucket: this.bucket.id,
        key: RUNTIME_CONFIG_KEY,
        content: runtimeConfig,
        contentType: "application/json",
        cacheControl: NO_CACHE,
      },
      { parent: this },
    );
    this.uploadedKeys.push(RUNTIME_CONFIG_KEY);
  }
}
