/**
 * Stripe's request parameters: form-encoded bodies (and query strings) with bracketed keys, as the SDK
 * writes them (`line_items[0][price_data][currency]=eur`, `metadata[orderId]=…`, `expand[]=…`), read
 * into nested values, and the checks the stand-in's endpoints make on them. Every problem is a
 * ParamError that names the parameter, answered as Stripe's 400 `invalid_request_error`.
 */

/** A parameter's value: a string, or a node of named (or numbered) parameters. */
export type Param = string | ParamNode;
/** A null-prototype object: no key a client sends (`__proto__`, `constructor`) can reach a prototype. */
export interface ParamNode {
  [key: string]: Param;
}

export class ParamError extends Error {
  constructor(
    message: string,
    readonly param?: string,
    readonly code = "parameter_invalid",
  ) {
    super(message);
  }
}

const node = (): ParamNode => Object.create(null) as ParamNode;

/** `a[b][0][]` → ["a", "b", "0", ""]; undefined when the brackets do not close. */
function keyPath(key: string): string[] | undefined {
  const open = key.indexOf("[");
  if (open < 0) return [key];
  const path = [key.slice(0, open)];
  const rest = /\[([^[\]]*)\]/gy;
  rest.lastIndex = open;
  for (let match = rest.exec(key); match; match = rest.exec(key)) {
    path.push(match[1] ?? "");
    if (rest.lastIndex === key.length) return path[0] ? path : undefined;
  }
  return undefined;
}

const bracketed = (path: string[]) =>
  path[0] +
  path
    .slice(1)
    .map((part) => `[${part}]`)
    .join("");

/** Reads a form-encoded body or query string into nested parameters (Rack's rules: the last value of a key wins). */
export function parseParams(encoded: string): ParamNode {
  const root = node();
  for (const [key, value] of new URLSearchParams(encoded)) {
    const path = keyPath(key);
    if (!path) throw new ParamError(`Invalid parameter name: ${key}`, key);
    let at = root;
    for (let i = 0; i < path.length; i++) {
      let part = path[i]!;
      // `[]` appends: the next free index.
      if (part === "" && i > 0) part = String(Object.keys(at).length);
      if (i === path.length - 1) {
        if (typeof at[part] === "object") throw new ParamError(`Invalid value: ${bracketed(path)} is a hash`, key);
        at[part] = value;
        break;
      }
      const next = at[part];
      if (typeof next === "string")
        throw new ParamError(`Invalid hash: ${bracketed(path.slice(0, i + 1))} is given as a value too`, key);
      at = next ?? (at[part] = node());
    }
  }
  return root;
}

/** Refuses parameters this endpoint does not know, as Stripe does ("Received unknown parameter: …"). */
export function onlyKnown(params: ParamNode, known: readonly string[], prefix = ""): void {
  for (const key of Object.keys(params))
    if (!known.includes(key)) {
      const name = prefix ? `${prefix}[${key}]` : key;
      throw new ParamError(`Received unknown parameter: ${name}`, name, "parameter_unknown");
    }
}

export function requireParam(value: Param | undefined, name: string): Param {
  if (value === undefined || value === "")
    throw new ParamError(`Missing required param: ${name}.`, name, "parameter_missing");
  return value;
}

export function hashParam(value: Param | undefined, name: string): ParamNode | undefined {
  if (value === undefined || value === "") return undefined;
  if (typeof value === "string") throw new ParamError(`Invalid object: ${name} must be a hash`, name);
  return value;
}

/** A list as the SDK sends one: keys 0..n-1. */
export function listParam(value: Param | undefined, name: string): Param[] | undefined {
  if (value === undefined || value === "") return undefined;
  if (typeof value === "string") throw new ParamError(`Invalid array: ${name} must be a list`, name);
  const items = Object.keys(value).map((key) => {
    if (!/^(0|[1-9]\d{0,3})$/.test(key)) throw new ParamError(`Invalid array: ${name}[${key}] is not an index`, name);
    return Number(key);
  });
  items.sort((a, b) => a - b);
  if (items.some((index, position) => index !== position))
    throw new ParamError(`Invalid array: ${name} must be numbered from 0 without gaps`, name);
  return items.map((index) => value[String(index)]!);
}

export function stringParam(value: Param | undefined, name: string, maxLength = 5_000): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new ParamError(`Invalid string: ${name} must be a string, not a hash`, name);
  if (value.length > maxLength)
    throw new ParamError(`Invalid string: ${name} must be at most ${maxLength} characters long`, name);
  return value;
}

export function integerParam(value: Param | undefined, name: string, min: number, max: number): number | undefined {
  const text = stringParam(value, name);
  if (text === undefined || text === "") return undefined;
  if (!/^-?\d{1,16}$/.test(text)) throw new ParamError(`Invalid integer: ${text}`, name);
  const number = Number(text);
  if (number < min || number > max)
    throw new ParamError(`Invalid integer: ${name} must be between ${min} and ${max}, got ${text}`, name);
  return number;
}

export function oneOf<T extends string>(value: Param | undefined, name: string, choices: readonly T[]): T | undefined {
  const text = stringParam(value, name);
  if (text === undefined || text === "") return undefined;
  if (!(choices as readonly string[]).includes(text))
    throw new ParamError(`Invalid ${name}: must be one of ${choices.join(", ")}`, name);
  return text as T;
}

export function urlParam(value: Param | undefined, name: string): string | undefined {
  const text = stringParam(value, name);
  if (text === undefined || text === "") return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ParamError("Not a valid URL", name, "url_invalid");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new ParamError("Not a valid URL", name, "url_invalid");
  return text;
}

/** Stripe's metadata: up to 50 keys of at most 40 characters, values of at most 500. */
export function metadataParam(value: Param | undefined, name: string): Record<string, string> {
  const hash = hashParam(value, name);
  const metadata: Record<string, string> = {};
  if (!hash) return metadata;
  const keys = Object.keys(hash);
  if (keys.length > 50) throw new ParamError(`Invalid ${name}: at most 50 keys`, name);
  for (const key of keys) {
    const param = `${name}[${key}]`;
    if (key.length > 40) throw new ParamError(`Invalid ${name}: keys can have up to 40 characters`, param);
    const text = stringParam(hash[key], param, 500);
    if (text !== undefined && text !== "") metadata[key] = text;
  }
  return metadata;
}
