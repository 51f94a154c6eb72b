/**
 * The shoppers' password policy, defined once: the deployed user pool (infra/src/components/auth.ts),
 * the local one (services/local/src/user-pool.ts) and the storefront's forms (web/src/app/auth) all
 * read it, so the form accepts exactly what the pool accepts.
 */
export interface PasswordPolicy {
  minimumLength: number;
  requireLowercase: boolean;
  requireUppercase: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
}

export const SHOPPER_PASSWORD_POLICY: PasswordPolicy = {
  minimumLength: 8,
  requireLowercase: true,
  requireUppercase: true,
  requireNumbers: true,
  requireSymbols: false,
};

/** Cognito takes passwords up to 256 characters, whatever the policy's minimum. */
export const MAXIMUM_PASSWORD_LENGTH = 256;

/** Cognito's symbols; a space counts as one too, but only between other characters. */
const SYMBOLS = new Set("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ");

export interface PasswordRule {
  /** What the shopper reads, e.g. "An upper-case letter (A-Z)". */
  text: string;
  met: boolean;
}

/**
 * The policy's rules checked against `password`, in the order a form lists them. Cognito counts only
 * Basic Latin letters (A-Z, a-z) as upper- or lower-case and rejects a space at either end; those
 * edge rules are listed only when broken, to keep the list short.
 */
export function passwordRules(password: string, policy: PasswordPolicy = SHOPPER_PASSWORD_POLICY): PasswordRule[] {
  const characters = [...password];
  const rules: PasswordRule[] = [
    { text: `At least ${policy.minimumLength} characters`, met: characters.length >= policy.minimumLength },
  ];
  if (policy.requireLowercase) rules.push({ text: "A lower-case letter (a-z)", met: /[a-z]/.test(password) });
  if (policy.requireUppercase) rules.push({ text: "An upper-case letter (A-Z)", met: /[A-Z]/.test(password) });
  if (policy.requireNumbers) rules.push({ text: "A number (0-9)", met: /[0-9]/.test(password) });
  if (policy.requireSymbols) {
    const inner = (index: number) => index > 0 && index < characters.length - 1;
    rules.push({
      text: "A symbol, such as ! ? # or -",
      met: characters.some((c, index) => SYMBOLS.has(c) && (c !== " " || inner(index))),
    });
  }
  if (characters.length > MAXIMUM_PASSWORD_LENGTH)
    rules.push({ text: `At most ${MAXIMUM_PASSWORD_LENGTH} characters`, met: false });
  if (/^\s|\s$/.test(password)) rules.push({ text: "No space at the start or end", met: false });
  return rules;
}

/** True when every rule is met: what Cognito would accept under `policy`. */
export function passwordAccepted(password: string, policy: PasswordPolicy = SHOPPER_PASSWORD_POLICY): boolean {
  return passwordRules(password, policy).every((rule) => rule.met);
}
