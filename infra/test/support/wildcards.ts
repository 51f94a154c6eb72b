/**
 * What a least-privilege policy must not contain: wildcard actions, Not* elements, resources that match more
 * than one named thing, and principals that mean "anyone".
 */
const list = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/**
 * A `*` is allowed only as the last character, narrowing INSIDE one named resource: the streams of one log
 * group, the objects of one bucket (or one folder of it), the indexes of one table.
 */
const NARROWING_WILDCARDS = [
  /^arn:aws:logs:[a-z0-9-]+:\d{12}:log-group:[^*]+:log-stream:\*$/,
  /^arn:aws:s3:::[a-z0-9][a-z0-9.-]*[a-z0-9](\/[a-z0-9-]+)*\/\*$/,
  /^arn:aws:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]+\/index\/\*$/,
];

/** Actions IAM authorises on no resource type: `Resource: "*"` is the only form they take, and so allowed alone. */
const RESOURCELESS_ACTIONS = new Set(["cloudwatch:GetMetricData"]);

export function wildcardProblems(statement: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const action of list(statement.Action))
    if (String(action).includes("*")) problems.push(`wildcard action ${String(action)}`);
  if (statement.NotAction !== undefined) problems.push("NotAction");
  if (statement.NotResource !== undefined) problems.push("NotResource");
  if (statement.NotPrincipal !== undefined) problems.push("NotPrincipal");
  const resourceless = list(statement.Action).every((action) => RESOURCELESS_ACTIONS.has(String(action)));
  for (const resource of list(statement.Resource)) {
    const text = String(resource);
    if (resourceless && text === "*") continue;
    if (text.includes("*") && !NARROWING_WILDCARDS.some((pattern) => pattern.test(text)))
      problems.push(`wildcard resource ${text}`);
  }
  const principal = statement.Principal;
  if (principal === "*") problems.push('principal "*"');
  else if (principal && typeof principal === "object") {
    for (const [kind, value] of Object.entries(principal)) {
      for (const who of list(value))
        if (String(who).includes("*")) problems.push(`principal {"${kind}": "${String(who)}"}`);
    }
  }
  return problems;
}
