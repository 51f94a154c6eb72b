/**
 * Runs the Pulumi program (or a component) under mocks with a given stack config and returns what it registered.
 * Mocks are set BEFORE the program is imported (else ids never resolve), on a fresh module registry each time
 * so config and components never leak between runs.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type * as pulumiType from "@pulumi/pulumi";
import { missingRequires } from "./bundle-check";
import { RecordingMocks, type Registered, type RegisteredOptions, type World } from "./mocks";

export interface Run<T> {
  resources: Registered[];
  mocks: RecordingMocks;
  warnings: string[];
  /** Errors the program logged: each one fails `pulumi preview` and `pulumi up`. */
  errors: string[];
  exports: T;
  /** Every resource of one type, e.g. "aws:lambda/function:Function". */
  ofType(type: string): Registered[];
  /** The one resource of a type (fails when there are none or several). */
  one(type: string): Registered;
  /** The resource options the engine received for a resource (protect, retainOnDelete, ignoreChanges, ...). */
  optionsOf(resource: Registered): RegisteredOptions;
}

/** A folder that does not exist: the default run must not depend on whether web/ was built. */
export const MISSING_WEB_DIR = path.join(tmpdir(), "flash-sale-infra-test-no-web-build");

/** Resolves an Output's value (under mocks every value is known). */
export function outputValue<T>(output: pulumiType.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

async function settle(pulumi: typeof pulumiType): Promise<void> {
  // Waits until every registration the program started has reached the mock monitor.
  await pulumi.runtime.disconnect();
}

/**
 * Loads a fresh copy of @pulumi/pulumi, sets mocks and config, then runs `body` (which imports the program or a
 * component) and waits for every resource to be registered.
 */
export async function runWithMocks<T>(
  config: Record<string, string>,
  body: (pulumi: typeof pulumiType) => Promise<T>,
  stack = "dev",
  world: World = {},
): Promise<Run<T>> {
  jest.resetModules();
  const pulumi: typeof pulumiType = await import("@pulumi/pulumi");
  const mocks = new RecordingMocks(world);
  const warnings: string[] = [];
  // "organization" is what a DIY backend (pulumi login --local) calls every organization.
  await pulumi.runtime.setMocks(mocks, "flash-sale", stack, false, "organization");
  const options = recordOptions(pulumi);
  const fullConfig: Record<string, string> = { "flash-sale:webDir": MISSING_WEB_DIR, ...config };
  pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(fullConfig).map(([key, value]) => [key, value])));
  const errors: string[] = [];
  const originalWarn = pulumi.log.warn;
  const originalError = pulumi.log.error;
  pulumi.log.warn = (message: string) => {
    warnings.push(message);
    return Promise.resolve();
  };
  pulumi.log.error = (message: string) => {
    errors.push(message);
    return Promise.resolve();
  };
  try {
    const exports = await body(pulumi);
    await settle(pulumi);
    const resources = mocks.resources;
    const ofType = (type: string) => resources.filter((resource) => resource.type === type);
    return {
      resources,
      mocks,
      warnings,
      errors,
      exports,
      ofType,
      one(type) {
        const found = ofType(type);
        if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
        return found[0]!;
      },
      optionsOf(resource) {
        const found = options.get(`${resource.type}::${resource.name}`);
        if (!found) throw new Error(`no options recorded for ${resource.type} ${resource.name}`);
        return found;
      },
    };
  } finally {
    pulumi.log.warn = originalWarn;
    pulumi.log.error = originalError;
  }
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getProtect(): boolean;
  getRetainondelete(): boolean;
  getIgnorechangesList(): string[];
  getReplaceonchangesList(): string[];
  getDeletebeforereplace(): boolean;
  getProvidersMap(): { toObject(): [string, string][] };
  getDependenciesList(): string[];
}

/** `urn:pulumi:<stack>::<project>::<parent types>$<type>::<name>` as `<type>::<name>`, the key of `optionsOf`. */
function resourceKeyOfUrn(urn: string): string {
  const parts = urn.split("::");
  const name = parts.slice(3).join("::");
  const type = parts[2]!.split("$").pop()!;
  return `${type}::${name}`;
}

/**
 * Mocks see inputs only; resource options travel beside them in the registration request. This wraps the mock
 * monitor's registerResource to keep what the engine would be told about each resource.
 */
function recordOptions(pulumi: typeof pulumiType): Map<string, RegisteredOptions> {
  const options = new Map<string, RegisteredOptions>();
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: RegisterRequest, callback: unknown): unknown;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    options.set(`${req.getType()}::${req.getName()}`, {
      protect: req.getProtect(),
      retainOnDelete: req.getRetainondelete(),
      ignoreChanges: req.getIgnorechangesList(),
      replaceOnChanges: req.getReplaceonchangesList(),
      deleteBeforeReplace: req.getDeletebeforereplace(),
      providers: Object.fromEntries(req.getProvidersMap().toObject()),
      dependsOn: req.getDependenciesList().map(resourceKeyOfUrn),
    });
    return register(req, callback);
  };
  return options;
}

/** The whole program with this stack config; exports resolved to plain values. */
export async function runProgram(
  config: Record<string, string> = {},
  stack = "dev",
  world: World = {},
): Promise<Run<Record<string, unknown>>> {
  return runWithMocks(
    config,
    async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the mocks, on the fresh registry
      const program = require("../..") as Record<string, unknown>;
      const resolved: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(program)) {
        resolved[key] =
          value && typeof (value as { apply?: unknown }).apply === "function"
            ? await outputValue(value as pulumiType.Output<unknown>)
            : value;
      }
      return resolved;
    },
    stack,
    world,
  );
}

/** The Lambda function of an API route (`-api-<handler>-fn`). */
export function functionOf(run: Run<unknown>, handler: string): Registered {
  const fn = run
    .ofType("aws:lambda/function:Function")
    .find((candidate) => candidate.name.endsWith(`-api-${handler}-fn`));
  if (!fn) throw new Error(`no function for ${handler}`);
  return fn;
}

/**
 * Checks a function outside the API (`<stack>-<component>-fn`, e.g. the hold sweep) is built like the route
 * functions by the same helper: the purchase function's runtime and memory, arm64, unreserved, its own log group
 * kept 14 days, an archive of index.js (no missing requires) and its map, with its own description and timeout.
 * Returns the bundle's code and its map's sources.
 */
export async function expectBuiltLikeTheRouteFunctions(
  run: Run<unknown>,
  component: string,
  own: { description: string; timeout: number },
): Promise<{ code: string; sources: string[] }> {
  const one = (type: string, suffix: string) => {
    const found = run.ofType(type).filter((resource) => resource.name.endsWith(`-${component}-${suffix}`));
    if (found.length !== 1) throw new Error(`expected one ${type} named *-${component}-${suffix}`);
    return found[0]!;
  };
  const fn = one("aws:lambda/function:Function", "fn");
  const logs = one("aws:cloudwatch/logGroup:LogGroup", "logs");
  const purchase = functionOf(run, "purchase");
  expect(fn.inputs).toMatchObject({
    ...own,
    runtime: purchase.inputs.runtime,
    architectures: ["arm64"],
    handler: "index.handler",
    memorySize: purchase.inputs.memorySize,
    reservedConcurrentExecutions: -1,
    loggingConfig: { logFormat: "Text", logGroup: logs.state.name },
  });
  expect(logs.inputs.retentionInDays).toBe(14);
  const assets = await fn.inputs.code.assets;
  expect(Object.keys(assets).sort()).toEqual(["index.js", "index.js.map"]);
  const code: string = await assets["index.js"].text;
  expect(missingRequires(code)).toEqual([]);
  return { code, sources: JSON.parse(await assets["index.js.map"].text).sources };
}

export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A parsed JSON policy (inputs hold policies as JSON text). */
export function parsePolicy(text: unknown): { Statement: Record<string, any>[] } {
  if (typeof text !== "string") throw new Error(`policy is not JSON text: ${JSON.stringify(text)}`);
  return JSON.parse(text);
}

/** Pulumi's wire marker of a secret value in resource inputs. */
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Inputs with every secret unwrapped to its value (under mocks, secrets arrive wrapped in a signature object). */
export function unwrapSecrets(value: any): any {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value && typeof value === "object") {
    if (value["4dabf18193072939515e22adb298388d"] === SECRET_SIG) return unwrapSecrets(value.value);
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, unwrapSecrets(inner)]));
  }
  return value;
}

/** Whether an input arrived marked secret. */
export function isSecretInput(value: any): boolean {
  return !!value && typeof value === "object" && value["4dabf18193072939515e22adb298388d"] === SECRET_SIG;
}
