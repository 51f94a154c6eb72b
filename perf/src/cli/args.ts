/** A small option parser: `--name value`, `--name=value`, `--flag`, `--no-flag`; help text from the same specs. */

export interface OptionSpec {
  type: "number" | "string" | "boolean";
  default?: number | string | boolean;
  help: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

export type ParsedOptions<S extends OptionSpecs> = {
  [K in keyof S]: S[K]["type"] extends "number"
    ? number
    : S[K]["type"] extends "boolean"
      ? boolean
      : S[K]["default"] extends string
        ? string
        : string | undefined;
};

export class UsageError extends Error {
  override name = "UsageError";
}

export function parseOptions<S extends OptionSpecs>(argv: string[], specs: S): ParsedOptions<S> & { help: boolean } {
  const values: Record<string, unknown> = { help: false };
  for (const [name, spec] of Object.entries(specs)) values[name] = spec.default;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") {
      values.help = true;
      continue;
    }
    if (!arg.startsWith("--")) throw new UsageError(`unexpected argument '${arg}' (options start with --)`);
    const [rawName = "", inline] = arg.slice(2).split(/=(.*)/s, 2);
    const negated = rawName.startsWith("no-") && specs[rawName.slice(3)]?.type === "boolean";
    const name = negated ? rawName.slice(3) : rawName;
    const spec = specs[name];
    if (!spec) throw new UsageError(`unknown option --${rawName}; see --help`);
    if (spec.type === "boolean") {
      values[name] = !negated;
      continue;
    }
    const raw = inline ?? argv[++i];
    if (raw === undefined) throw new UsageError(`--${name} needs a value`);
    if (spec.type === "number") {
      const n = Number(raw);
      if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got '${raw}'`);
      values[name] = n;
    } else values[name] = raw;
  }
  return values as ParsedOptions<S> & { help: boolean };
}

export function helpText(usage: string, description: string, specs: OptionSpecs): string {
  const lines = [`usage: ${usage}`, "", description, "", "options:"];
  for (const [name, spec] of Object.entries(specs)) {
    const flag = spec.type === "boolean" ? `--${name}` : `--${name} <${spec.type === "number" ? "n" : "value"}>`;
    const def = spec.default === undefined ? "" : ` (default ${String(spec.default)})`;
    lines.push(`  ${flag.padEnd(30)} ${spec.help}${def}`);
  }
  lines.push(`  ${"--help".padEnd(30)} this text`);
  return lines.join("\n");
}

/** Positive number check with a message naming the option. */
export function requirePositive(name: string, value: number): number {
  if (!(value > 0)) throw new UsageError(`--${name} must be greater than 0, got ${value}`);
  return value;
}
