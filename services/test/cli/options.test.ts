import { helpText, type OptionSpecs, parseOptions, UsageError } from "../../src/cli/kit";

const SPECS = {
  rate: { type: "number", default: 10, positive: true, help: "offered rate" },
  shards: { type: "number", list: true, whole: true, min: 1, max: 64, default: "1,4", help: "shard counts" },
  profile: { type: "string", choices: ["constant", "ramp", "spike"], default: "constant", help: "burst shape" },
  storage: { type: "string", list: true, choices: ["memory", "disk"], default: "memory", help: "engine storage" },
  dry: { type: "boolean", default: false, help: "print only" },
} satisfies OptionSpecs;

/** The usage error `argv` provokes, as its message. */
function refusal(argv: string[]): string {
  try {
    parseOptions(argv, SPECS);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`${argv.join(" ")} was accepted`);
}

test("defaults apply, list defaults parsed like given values", () => {
  // act
  const options = parseOptions([], SPECS);

  // assess
  expect(options).toEqual({
    help: false,
    rate: 10,
    shards: [1, 4],
    profile: "constant",
    storage: ["memory"],
    dry: false,
  });
});

test("given values are converted: numbers, negative-looking values, lists, choices and --no- flags", () => {
  // act
  const options = parseOptions(
    ["--rate", "2.5", "--shards", "2, 8,64", "--profile", "spike", "--storage=memory,disk", "--dry", "--no-dry"],
    SPECS,
  );

  // assess
  expect(options).toMatchObject({
    rate: 2.5,
    shards: [2, 8, 64],
    profile: "spike",
    storage: ["memory", "disk"],
    dry: false,
  });
});

test.each([
  [["--rate", "-5"], "--rate must be a number above 0, got '-5'"],
  [["--rate", "fast"], "--rate must be a number above 0, got 'fast'"],
  [["--shards", "1,65"], "--shards must be whole numbers from 1 to 64, comma-separated, got '1,65'"],
  [["--shards", "1,,2"], "--shards must be whole numbers from 1 to 64, comma-separated, got '1,,2'"],
  [["--profile", "burst"], "--profile must be constant, ramp or spike, got 'burst'"],
  [["--storage", "memory,ssd"], "--storage must be memory or disk, comma-separated, got 'memory,ssd'"],
  [["--colour", "red"], "unknown option --colour; see --help"],
])("%p is refused: %s", (argv, message) => {
  // act / assess
  expect(refusal(argv)).toBe(message);
});

test("the help text comes from the same specs: defaults, choices and lists shown", () => {
  // act
  const help = helpText("demo [options]", "A demo.", SPECS);

  // assess
  expect(help).toContain("usage: demo [options]");
  expect(help).toMatch(/--profile <constant\|ramp\|spike>\s+burst shape \(default constant\)/);
  expect(help).toMatch(/--shards <n,\.\.\.>\s+shard counts \(default 1,4\)/);
  expect(help).toMatch(/--help\s+this text/);
});
