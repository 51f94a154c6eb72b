import { parseArgs } from "node:util";
import * as v from "valibot";

/** A command-line mistake: the message says what is wrong; the process exits with code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Exit code for usage errors (and for a bare command that needs arguments). */
export const USAGE_EXIT_CODE = 2;

/** One option: its type, default, help line and the checks its value must pass. */
export interface OptionSpec {
  type: "number" | "string" | "boolean";
  default?: number | string | boolean;
  help: string;
  short?: string;
  /** Numbers: only whole numbers. */
  whole?: boolean;
  /** Numbers: at least this. */
  min?: number;
  /** Numbers: at most this. */
  max?: number;
  /** Numbers: above 0. */
  positive?: boolean;
  /** Refused when absent. */
  required?: boolean;
  /** Strings: the only values accepted. */
  choices?: readonly string[];
  /** Numbers and strings: a comma-separated list, each item checked; the value is an array. */
  list?: boolean;
}

export type OptionSpecs = Record<string, OptionSpec>;

export type ParsedOptions<S extends OptionSpecs> = {
  [K in keyof S]: S[K]["list"] extends true
    ? S[K]["type"] extends "number"
      ? number[]
      : string[]
    : S[K]["type"] extends "number"
      ? S[K]["default"] extends number
        ? number
        : S[K]["required"] extends true
          ? number
          : number | undefined
      : S[K]["type"] extends "boolean"
        ? boolean
        : S[K]["default"] extends string
          ? string
          : S[K]["required"] extends true
            ? string
            : string | undefined;
};

/** What a number option accepts, in words: "a whole number from 1 to 64", "a number above 0". */
function describeNumber(spec: Pick<OptionSpec, "whole" | "min" | "max" | "positive">): string {
  const kind = spec.whole ? "a whole number" : "a number";
  if (spec.min !== undefined && spec.max !== undefined) return `${kind} from ${spec.min} to ${spec.max}`;
  if (spec.positive) return `${kind} above 0`;
  if (spec.min !== undefined) return `${kind} of at least ${spec.min}`;
  if (spec.max !== undefined) return `${kind} of at most ${spec.max}`;
  return kind;
}

function numberSchema(spec: Pick<OptionSpec, "whole" | "min" | "max" | "positive">) {
  return v.pipe(
    v.string(),
    v.regex(spec.whole ? /^[+-]?\d+$/ : /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i),
    v.transform(Number),
    v.finite(),
    v.check(
      (n) =>
        (!spec.whole || Number.isInteger(n)) &&
        (!spec.positive || n > 0) &&
        (spec.min === undefined || n >= spec.min) &&
        (spec.max === undefined || n <= spec.max),
    ),
  );
}

/**
 * A number from the command line, checked: `label` names it in the message
 * ("--peak must be a whole number from 1 to 10000000, got 'x'").
 */
function numberArgument(
  label: string,
  text: string | undefined,
  spec: Pick<OptionSpec, "whole" | "min" | "max" | "positive">,
): number {
  const result = text === undefined ? undefined : v.safeParse(numberSchema(spec), text);
  if (result?.success) return result.output;
  throw new UsageError(`${label} must be ${describeNumber(spec)}, got ${text === undefined ? "nothing" : `'${text}'`}`);
}

/** A whole number in [min, max]: `wholeNumber("units", "12", 1, 1000)`. */
export function wholeNumber(label: string, text: string | undefined, min: number, max: number): number {
  return numberArgument(label, text, { whole: true, min, max });
}

/** "a, b or c" */
function orList(words: readonly string[]): string {
  return words.length < 2 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} or ${words.at(-1)}`;
}

/** A string option's value, checked against its choices when it has them. */
function stringArgument(label: string, text: string, spec: Pick<OptionSpec, "choices">): string {
  if (!spec.choices || v.safeParse(v.picklist(spec.choices), text).success) return text;
  throw new UsageError(`${label} must be ${orList(spec.choices)}, got '${text}'`);
}

/** A comma-separated list whose every item passes the option's checks ("1,4,16"). */
function listArgument(label: string, text: string, spec: OptionSpec): number[] | string[] {
  const items = text.split(",").map((item) => item.trim());
  const what =
    spec.type === "number"
      ? `${describeNumber(spec).replace(/^an? (whole )?number/, (kind) => (kind.includes("whole") ? "whole numbers" : "numbers"))}`
      : orList(spec.choices ?? ["text"]);
  try {
    if (items.some((item) => item === "")) throw new UsageError("empty item");
    return spec.type === "number"
      ? items.map((item) => numberArgument(label, item, spec))
      : items.map((item) => stringArgument(label, item, spec));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new UsageError(`${label} must be ${what}, comma-separated, got '${text}'`);
  }
}

/**
 * Parses `argv` against `specs` with node:util parseArgs (strict: unknown options are usage errors),
 * `--no-<flag>` for booleans, then checks and converts every value with valibot.
 */
export function parseCommandLine<S extends OptionSpecs>(
  argv: string[],
  specs: S,
  { positionals: allowPositionals = false }: { positionals?: boolean } = {},
): { values: ParsedOptions<S> & { help: boolean }; positionals: string[] } {
  const config: Record<string, { type: "string" | "boolean"; short?: string }> = {
    help: { type: "boolean", short: "h" },
  };
  for (const [name, spec] of Object.entries(specs)) {
    config[name] = {
      type: spec.type === "boolean" ? "boolean" : "string",
      ...(spec.short ? { short: spec.short } : {}),
    };
    if (spec.type === "boolean") config[`no-${name}`] = { type: "boolean" };
  }
  // `--rate -5` means the value -5 (parseArgs alone would call it ambiguous): join it as `--rate=-5`.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (arg.startsWith("--") && config[arg.slice(2)]?.type === "string" && next !== undefined && /^-[\d.]/.test(next)) {
      args.push(`${arg}=${next}`);
      i++;
    } else args.push(arg);
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options: config, allowPositionals, strict: true });
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL")
      throw new UsageError(
        `unexpected argument ${(error as Error).message.match(/'[^']*'/)?.[0] ?? ""} (options start with --)`,
      );
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      const option = (error as Error).message.match(/'([^']*)'/)?.[1] ?? "?";
      throw new UsageError(`unknown option ${option}; see --help`);
    }
    if (code.startsWith("ERR_PARSE_ARGS")) throw new UsageError((error as Error).message);
    throw error;
  }
  const raw = parsed.values as Record<string, string | boolean | undefined>;
  const values: Record<string, unknown> = { help: raw.help === true };
  for (const [name, spec] of Object.entries(specs)) {
    const given = raw[`no-${name}`] === true ? false : raw[name];
    if (given === undefined) {
      if (spec.required)
        throw new UsageError(
          `--${name} ${spec.type === "number" ? `must be ${describeNumber(spec)}` : "is needed"}, got nothing`,
        );
      values[name] =
        spec.list && spec.default !== undefined ? listArgument(`--${name}`, String(spec.default), spec) : spec.default;
    } else if (spec.list) values[name] = listArgument(`--${name}`, String(given), spec);
    else if (spec.type === "number") values[name] = numberArgument(`--${name}`, String(given), spec);
    else if (spec.type === "string") values[name] = stringArgument(`--${name}`, String(given), spec);
    else values[name] = given;
  }
  return { values: values as ParsedOptions<S> & { help: boolean }, positionals: parsed.positionals };
}

/** Options only (no positional arguments). */
export function parseOptions<S extends OptionSpecs>(argv: string[], specs: S): ParsedOptions<S> & { help: boolean } {
  return parseCommandLine(argv, specs).values;
}

/** The options part of a help text, from the same specs the parser uses. */
function optionsHelp(specs: OptionSpecs, width = 30): string {
  const lines: string[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    const placeholder = spec.choices ? spec.choices.join("|") : spec.type === "number" ? "n" : "value";
    const flag = spec.type === "boolean" ? `--${name}` : `--${name} <${placeholder}${spec.list ? ",..." : ""}>`;
    const def = spec.default === undefined ? "" : ` (default ${String(spec.default)})`;
    lines.push(`  ${flag.padEnd(width)} ${spec.help}${def}`);
  }
  return lines.join("\n");
}

/** A command's whole help text: usage line, description, options (and --help). */
export function helpText(usage: string, description: string, specs: OptionSpecs): string {
  return [
    `usage: ${usage}`,
    "",
    description,
    "",
    "options:",
    optionsHelp(specs),
    `  ${"--help".padEnd(30)} this text`,
  ].join("\n");
}

/** Exit code and stderr line for an error thrown by a command: 2 for usage errors, 1 otherwise. */
export function reportError(program: string, error: unknown, { stack = false } = {}): number {
  const usage = error instanceof UsageError;
  const message =
    stack && !usage && error instanceof Error ? (error.stack ?? error.message) : (error as Error)?.message;
  process.stderr.write(`${program ? `${program}: ` : ""}${message ?? String(error)}\n`);
  return usage ? USAGE_EXIT_CODE : 1;
}
