/**
 * The stack's configuration, read once, typed and validated. Every key has a default, so the program deploys
 * with an empty stack config; a bad value stops the deployment with a message naming the key and the value.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import * as path from "node:path";
import * as v from "valibot";
import { DEFAULT_TABLE_WRITE_QUOTA, planCapacity } from "@flash-sale/services/contract";

export const PROJECT = "flash-sale";

export type LambdaRuntime = "nodejs22.x" | "nodejs24.x";
const LAMBDA_RUNTIMES: readonly LambdaRuntime[] = ["nodejs22.x", "nodejs24.x"];

/** CloudWatch Logs accepts only these retention periods (days). */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export interface LoadGeneratorConfig {
  count: number;
  instanceType: string;
}

export interface StackConfig {
  /** Lower-case `<project>-<stack>`: the prefix of every resource name, so stacks never collide in one account. */
  prefix: string;
  stack: string;
  expectedPeakPurchasesPerSecond: number;
  /** The account's per-table write quota (units/s): the warm throughput planned from the peak must fit in it. */
  tableWriteQuota: number;
  deletionProtection: boolean;
  lambdaRuntime: LambdaRuntime;
  lambdaMemoryMb: number;
  lambdaTimeoutSeconds: number;
  logRetentionDays: number;
  apiThrottleRateLimit: number;
  apiThrottleBurstLimit: number;
  /** -1 = unreserved (shares the account's pool). */
  purchaseReservedConcurrency: number;
  /** 0 = none. */
  purchaseProvisionedConcurrency: number;
  alarm5xxRatePercent: number;
  alarmPurchaseP99Ms: number;
  alarmEmail: string | undefined;
  /** Opt-in WAF web ACL on CloudFront: rate-based rule per IP plus AWS's common rule set. */
  webAcl: boolean;
  /** Requests per IP per 5 minutes before the rate-based rule blocks it. */
  webAclRateLimit: number;
  /** Absolute path of the built storefront. */
  webDir: string;
  loadGenerators: LoadGeneratorConfig;
  /**
   * Stripe's secret key and the webhook endpoint's signing secret (config secrets `stripeSecretKey`,
   * `stripeWebhookSecret`), for the functions that call the provider; absent: `payment` products cannot be sold.
   */
  payments: PaymentSecrets | undefined;
  /**
   * The sender of order mails (`mailFrom`: "orders@example.com" or "Flash Sale <orders@example.com>"), an SES
   * identity; absent: no order events consumer is deployed (no mails, no order metrics; the stream still runs).
   */
  mailFrom: MailFrom | undefined;
}

export interface MailFrom {
  /** As set, and as SES's FromEmailAddress takes it (MAIL_FROM): the address, with or without a display name. */
  from: string;
  /** The address alone: the SES email identity. */
  address: string;
  /** The address's domain: a domain identity in SES may also authorise the address. */
  domain: string;
}

export interface PaymentSecrets {
  secretKey: pulumi.Output<string>;
  webhookSecret: pulumi.Output<string>;
}

/** The repository root: infra/src/ is two levels below it. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

export const DEFAULTS = {
  expectedPeakPurchasesPerSecond: 500,
  tableWriteQuota: DEFAULT_TABLE_WRITE_QUOTA,
  lambdaRuntime: "nodejs22.x" as LambdaRuntime,
  lambdaMemoryMb: 1024,
  lambdaTimeoutSeconds: 10,
  logRetentionDays: 14,
  apiThrottleRateLimit: 2000,
  apiThrottleBurstLimit: 1000,
  // Nothing reserved: a new account's concurrency quota can be as low as 10 and AWS keeps 100 unreserved.
  purchaseReservedConcurrency: -1,
  purchaseProvisionedConcurrency: 0,
  alarm5xxRatePercent: 1,
  alarmPurchaseP99Ms: 1000,
  webAcl: false,
  webAclRateLimit: 2000,
  webDir: "web/dist/browser",
  loadGenerators: { count: 0, instanceType: "c7g.large" },
} as const;

/** Every `flash-sale:` key the program reads (infra/README.md documents each). */
export const CONFIG_KEYS = [
  "expectedPeakPurchasesPerSecond",
  "tableWriteQuota",
  "deletionProtection",
  "lambdaRuntime",
  "lambdaMemoryMb",
  "lambdaTimeoutSeconds",
  "logRetentionDays",
  "apiThrottleRateLimit",
  "apiThrottleBurstLimit",
  "purchaseReservedConcurrency",
  "purchaseProvisionedConcurrency",
  "alarm5xxRatePercent",
  "alarmPurchaseP99Ms",
  "alarmEmail",
  "webAcl",
  "webAclRateLimit",
  "webDir",
  "loadGenerators",
  "stripeSecretKey",
  "stripeWebhookSecret",
  "mailFrom",
] as const;

const STRIPE_SECRET_KEY = /^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/;
const STRIPE_WEBHOOK_SECRET = /^whsec_[A-Za-z0-9+/=_-]+$/;

/**
 * Both payment secrets or neither; each of Stripe's shape. Read as plain text only to check it (never printed:
 * a problem shows "[secret]"), then kept as secret outputs.
 */
function paymentSecrets(problems: Problems, config: pulumi.Config): PaymentSecrets | undefined {
  const secretKey = config.get("stripeSecretKey");
  const webhookSecret = config.get("stripeWebhookSecret");
  if (secretKey === undefined && webhookSecret === undefined) return undefined;
  const setIt = (key: string) => `set it with: npx pulumi config set --secret ${PROJECT}:${key} <value>`;
  if (secretKey === undefined)
    problems.add("stripeSecretKey", undefined, `is needed with stripeWebhookSecret; ${setIt("stripeSecretKey")}`);
  else if (!STRIPE_SECRET_KEY.test(secretKey))
    problems.add(
      "stripeSecretKey",
      "[secret]",
      "must be a Stripe secret key (sk_live_…, sk_test_… or a restricted rk_…)",
    );
  if (webhookSecret === undefined)
    problems.add("stripeWebhookSecret", undefined, `is needed with stripeSecretKey; ${setIt("stripeWebhookSecret")}`);
  else if (!STRIPE_WEBHOOK_SECRET.test(webhookSecret))
    problems.add("stripeWebhookSecret", "[secret]", "must be a webhook endpoint's signing secret (whsec_…)");
  if (secretKey === undefined || webhookSecret === undefined) return undefined;
  return { secretKey: pulumi.secret(secretKey), webhookSecret: pulumi.secret(webhookSecret) };
}

/** Collects every problem so one failed `pulumi up` reports them all. */
class Problems {
  readonly list: string[] = [];
  add(key: string, value: unknown, expectation: string): void {
    this.list.push(`${PROJECT}:${key} = ${JSON.stringify(value)}: ${expectation}`);
  }
}

/** A stack config value is a string (`pulumi config set`) or, under `--path` objects, a JSON number. */
const NumberInput = v.union([
  v.number(),
  v.pipe(v.string(), v.trim(), v.nonEmpty(), v.transform(Number), v.number(), v.finite()),
]);

/** Adds the schema's problem (in the words of `expectation`) for a set key; the fallback when unset or bad. */
function checked<T>(
  problems: Problems,
  key: string,
  raw: unknown,
  fallback: T,
  schema: v.GenericSchema<unknown, T>,
  expectation: string,
): T {
  if (raw === undefined) return fallback;
  const result = v.safeParse(schema, raw, { abortEarly: true });
  if (result.success) return result.output;
  problems.add(key, raw, expectation);
  return fallback;
}

function wholeNumber(
  problems: Problems,
  key: string,
  raw: unknown,
  fallback: number,
  min: number,
  max: number,
  unit = "",
): number {
  const schema = v.pipe(NumberInput, v.integer(), v.minValue(min), v.maxValue(max));
  return checked(problems, key, raw, fallback, schema, `must be a whole number from ${min} to ${max}${unit}`);
}

function positiveNumber(problems: Problems, key: string, raw: unknown, fallback: number, max: number): number {
  const schema = v.pipe(NumberInput, v.gtValue(0), v.maxValue(max));
  return checked(problems, key, raw, fallback, schema, `must be a number above 0 and at most ${max}`);
}

const BooleanInput = v.pipe(
  v.picklist(["true", "false"]),
  v.transform((raw) => raw === "true"),
);

function bool(problems: Problems, key: string, raw: string | undefined, fallback: boolean): boolean {
  return checked(problems, key, raw, fallback, BooleanInput, "must be true or false");
}

const EmailAddress = v.pipe(v.string(), v.regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/));

/**
 * An address, or a display name and the address in angle brackets. SES takes a display name as it is only in
 * printable ASCII (anything else must be MIME-encoded), so the name is limited to that, without quotes, brackets
 * or at signs.
 */
const MAIL_FROM = /^(?:([\x20-\x7e]+?) <([^@\s<>"]+@[^@\s<>"]+\.[^@\s<>"]+)>|([^@\s<>"]+@[^@\s<>"]+\.[^@\s<>"]+))$/;
const MailFromInput = v.pipe(
  v.string(),
  v.trim(),
  v.regex(MAIL_FROM),
  v.check((from) => !/[<>"@]/.test(MAIL_FROM.exec(from)?.[1] ?? "")),
  v.transform((from): MailFrom => {
    const match = MAIL_FROM.exec(from)!;
    const address = (match[2] ?? match[3])!;
    return { from, address, domain: address.slice(address.lastIndexOf("@") + 1).toLowerCase() };
  }),
);

function mailFrom(problems: Problems, raw: string | undefined): MailFrom | undefined {
  return checked<MailFrom | undefined>(
    problems,
    "mailFrom",
    raw,
    undefined,
    MailFromInput,
    'must be the sender of order mails: an address (orders@example.com) or a display name in plain ASCII and the address ("Flash Sale <orders@example.com>")',
  );
}

/** EC2 instance types look like <family>.<size>: c7g.large, m7i.2xlarge, t4g.micro. */
const InstanceType = v.pipe(v.string(), v.regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/));

function loadGenerators(problems: Problems, raw: string | undefined): LoadGeneratorConfig {
  if (raw === undefined) return { ...DEFAULTS.loadGenerators };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    problems.add(
      "loadGenerators",
      raw,
      'must be an object like {"count": 2, "instanceType": "c7g.large"} (pulumi config set --path loadGenerators.count 2)',
    );
    return { ...DEFAULTS.loadGenerators };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    problems.add("loadGenerators", parsed, 'must be an object like {"count": 2, "instanceType": "c7g.large"}');
    return { ...DEFAULTS.loadGenerators };
  }
  const fields = parsed as Record<string, unknown>;
  for (const field of Object.keys(fields).filter((f) => f !== "count" && f !== "instanceType")) {
    problems.add(`loadGenerators.${field}`, fields[field], "is not a known setting (known: count, instanceType)");
  }
  const count = wholeNumber(
    problems,
    "loadGenerators.count",
    fields["count"],
    DEFAULTS.loadGenerators.count,
    0,
    100,
    " instances",
  );
  const instanceType = checked<string>(
    problems,
    "loadGenerators.instanceType",
    fields["instanceType"],
    DEFAULTS.loadGenerators.instanceType,
    InstanceType,
    "must be an EC2 instance type such as c7g.large",
  );
  return { count, instanceType };
}

/** The highest whole peak (purchases/s) whose planned warm throughput fits in a write quota. */
function maxPeakWithin(quota: number): number {
  let peak = Math.floor(quota / 9);
  while (planCapacity(peak + 1).tableWriteUnitsPerSecond <= quota) peak += 1;
  while (peak > 1 && planCapacity(peak).tableWriteUnitsPerSecond > quota) peak -= 1;
  return peak;
}

/** The longest resource prefix: room for the components' suffixes and Pulumi's random ones within AWS's limits. */
export const MAX_PREFIX_LENGTH = 30;

/**
 * `<project>-<stack>` made safe for S3 bucket names and IAM (lower case, digits, dashes), at most 30 characters.
 * A longer one is cut and ends with 4 hex digits of a hash of the whole name, so stacks that differ only past the
 * cut (`production-us-east-1`, `production-us-east-2`) never share the names AWS wants unique per account.
 */
export function resourcePrefix(stack: string): string {
  const cleaned = `${PROJECT}-${stack}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/-$/, "");
  if (cleaned.length <= MAX_PREFIX_LENGTH) return cleaned;
  const tag = createHash("sha256").update(`${PROJECT}-${stack}`).digest("hex").slice(0, 4);
  return `${cleaned.slice(0, MAX_PREFIX_LENGTH - tag.length - 1).replace(/-$/, "")}-${tag}`;
}

/** Reads and validates the `flash-sale:*` config of the current stack; throws one error listing every bad key. */
export function readConfig(): StackConfig {
  const config = new pulumi.Config(PROJECT);
  const stack = pulumi.getStack();
  const problems = new Problems();

  const unknown = Object.keys(pulumi.runtime.allConfig())
    .filter((key) => key.startsWith(`${PROJECT}:`))
    .map((key) => key.slice(PROJECT.length + 1))
    .filter((key) => !(CONFIG_KEYS as readonly string[]).includes(key));
  for (const key of unknown)
    problems.add(key, config.get(key), `is not a known setting (known: ${CONFIG_KEYS.join(", ")})`);

  const runtime = config.get("lambdaRuntime") ?? DEFAULTS.lambdaRuntime;
  checked(
    problems,
    "lambdaRuntime",
    runtime,
    runtime,
    v.picklist(LAMBDA_RUNTIMES),
    `must be one of ${LAMBDA_RUNTIMES.join(", ")}`,
  );

  const logRetentionDays = wholeNumber(
    problems,
    "logRetentionDays",
    config.get("logRetentionDays"),
    DEFAULTS.logRetentionDays,
    1,
    3653,
    " days",
  );
  if (!LOG_RETENTION_DAYS.includes(logRetentionDays))
    problems.add(
      "logRetentionDays",
      logRetentionDays,
      `must be one CloudWatch accepts: ${LOG_RETENTION_DAYS.join(", ")}`,
    );

  const purchaseReservedConcurrency = wholeNumber(
    problems,
    "purchaseReservedConcurrency",
    config.get("purchaseReservedConcurrency"),
    DEFAULTS.purchaseReservedConcurrency,
    -1,
    100_000,
  );
  const purchaseProvisionedConcurrency = wholeNumber(
    problems,
    "purchaseProvisionedConcurrency",
    config.get("purchaseProvisionedConcurrency"),
    DEFAULTS.purchaseProvisionedConcurrency,
    0,
    100_000,
  );
  if (purchaseReservedConcurrency === 0) {
    problems.add(
      "purchaseReservedConcurrency",
      0,
      "0 would stop every purchase; use -1 for unreserved or a positive number",
    );
  }
  if (purchaseReservedConcurrency > 0 && purchaseProvisionedConcurrency > purchaseReservedConcurrency) {
    problems.add(
      "purchaseProvisionedConcurrency",
      purchaseProvisionedConcurrency,
      `must not exceed purchaseReservedConcurrency (${purchaseReservedConcurrency})`,
    );
  }

  const alarmEmail = config.get("alarmEmail");
  checked(problems, "alarmEmail", alarmEmail, alarmEmail, EmailAddress, "must be an email address");

  const payments = paymentSecrets(problems, config);

  const webDir = config.get("webDir") ?? DEFAULTS.webDir;
  if (webDir.trim() === "")
    problems.add("webDir", webDir, "must be a folder path (relative to the repository root or absolute)");

  const expectedPeakPurchasesPerSecond = positiveNumber(
    problems,
    "expectedPeakPurchasesPerSecond",
    config.get("expectedPeakPurchasesPerSecond"),
    DEFAULTS.expectedPeakPurchasesPerSecond,
    1_000_000,
  );
  const tableWriteQuota = wholeNumber(
    problems,
    "tableWriteQuota",
    config.get("tableWriteQuota"),
    DEFAULTS.tableWriteQuota,
    DEFAULT_TABLE_WRITE_QUOTA,
    100_000_000,
    " write units/s",
  );
  // AWS refuses a warm throughput above the table quota: refused here, before anything is planned or changed.
  const plannedWrites = planCapacity(expectedPeakPurchasesPerSecond).tableWriteUnitsPerSecond;
  if (plannedWrites > tableWriteQuota)
    problems.add(
      "expectedPeakPurchasesPerSecond",
      expectedPeakPurchasesPerSecond,
      `plans a table warm throughput of ${plannedWrites} write units/s, above the table quota of ${tableWriteQuota} ` +
        `(${PROJECT}:tableWriteQuota), which AWS refuses. Lower the peak to at most ${maxPeakWithin(tableWriteQuota)} purchases/s, ` +
        `or have AWS raise the quota (Service Quotas, DynamoDB "Table-level write throughput limit") and set ${PROJECT}:tableWriteQuota to the value granted`,
    );

  const result: StackConfig = {
    prefix: resourcePrefix(stack),
    stack,
    expectedPeakPurchasesPerSecond,
    tableWriteQuota,
    // Outside dev, a `pulumi destroy` must not be able to drop the orders table by accident.
    deletionProtection: bool(problems, "deletionProtection", config.get("deletionProtection"), stack !== "dev"),
    lambdaRuntime: runtime as LambdaRuntime,
    lambdaMemoryMb: wholeNumber(
      problems,
      "lambdaMemoryMb",
      config.get("lambdaMemoryMb"),
      DEFAULTS.lambdaMemoryMb,
      128,
      10_240,
      " MB",
    ),
    // An HTTP API integration gives up after 30 s, so a longer Lambda timeout would only hide failures.
    lambdaTimeoutSeconds: wholeNumber(
      problems,
      "lambdaTimeoutSeconds",
      config.get("lambdaTimeoutSeconds"),
      DEFAULTS.lambdaTimeoutSeconds,
      1,
      29,
      " seconds",
    ),
    logRetentionDays,
    apiThrottleRateLimit: positiveNumber(
      problems,
      "apiThrottleRateLimit",
      config.get("apiThrottleRateLimit"),
      DEFAULTS.apiThrottleRateLimit,
      1_000_000,
    ),
    apiThrottleBurstLimit: wholeNumber(
      problems,
      "apiThrottleBurstLimit",
      config.get("apiThrottleBurstLimit"),
      DEFAULTS.apiThrottleBurstLimit,
      1,
      1_000_000,
      " requests",
    ),
    purchaseReservedConcurrency,
    purchaseProvisionedConcurrency,
    alarm5xxRatePercent: positiveNumber(
      problems,
      "alarm5xxRatePercent",
      config.get("alarm5xxRatePercent"),
      DEFAULTS.alarm5xxRatePercent,
      100,
    ),
    alarmPurchaseP99Ms: wholeNumber(
      problems,
      "alarmPurchaseP99Ms",
      config.get("alarmPurchaseP99Ms"),
      DEFAULTS.alarmPurchaseP99Ms,
      10,
      30_000,
      " ms",
    ),
    alarmEmail,
    webAcl: bool(problems, "webAcl", config.get("webAcl"), DEFAULTS.webAcl),
    // WAF accepts 10 to 2,000,000,000 requests per evaluation window.
    webAclRateLimit: wholeNumber(
      problems,
      "webAclRateLimit",
      config.get("webAclRateLimit"),
      DEFAULTS.webAclRateLimit,
      10,
      2_000_000_000,
      " requests per 5 minutes",
    ),
    webDir: path.resolve(REPO_ROOT, webDir),
    loadGenerators: loadGenerators(problems, config.get("loadGenerators")),
    payments,
    mailFrom: mailFrom(problems, config.get("mailFrom")),
  };
  // Sign-up needs an e-mailed code: outside dev the user pool must mail through SES, which needs a sender.
  if (stack !== "dev" && config.get("mailFrom") === undefined)
    problems.add(
      "mailFrom",
      undefined,
      "is needed on every stack but dev: the user pool mails sign-up codes and password resets through SES from this sender " +
        "(Cognito's built-in sender allows only a few mails a day, far too few for a sale); " +
        `set it with: npx pulumi config set ${PROJECT}:mailFrom "Flash Sale <orders@example.com>"`,
    );
  if (problems.list.length > 0) {
    throw new Error(`Invalid stack configuration (Pulumi.${stack}.yaml):\n  - ${problems.list.join("\n  - ")}`);
  }
  return result;
}
