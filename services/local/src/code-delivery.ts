/**
 * cognito-local sends no e-mail: it prints each code it would have sent as a box in its log, between
 * other log lines and colour codes. This reads that log as it streams and reports each code, so the
 * local stack can print it plainly where the shopper looks (the `npm start` terminal).
 */

export interface CodeDelivery {
  /** The Cognito operation that sent it: `SignUp`, `ForgotPassword`, … */
  operation: string;
  /** Where the code "went": the shopper's email. */
  destination: string;
  code: string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: cognito-local colours its log with ANSI escapes, which start with ESC.
const ANSI = /\u001b\[[0-9;]*m/g;
/** The box's first line follows the request id and the operation: `[time] INFO: 2fdea9ac SignUp ╭────╮`. */
const BOX_OPENING = /\s([A-Za-z]+)\s+╭─/;
const BOX_FIELD = /│\s+([A-Za-z ]+):\s+(.*?)\s*│/;
const BOX_CLOSING = /╰─/;
/** A log line longer than this without a newline is no box of ours: drop it rather than grow. */
const MAX_PENDING = 64 * 1024;

/** Returns a function to feed with cognito-local's stdout chunks; calls `onDelivery` once per code. */
export function codeDeliveryReader(onDelivery: (delivery: CodeDelivery) => void): (chunk: Buffer | string) => void {
  let pending = "";
  let box: { operation: string; fields: Record<string, string> } | undefined;
  const readLine = (line: string) => {
    const opening = BOX_OPENING.exec(line);
    if (opening) {
      box = { operation: opening[1]!, fields: {} };
      return;
    }
    if (!box) return;
    if (BOX_CLOSING.test(line)) {
      const { Code: code, Destination: destination } = box.fields;
      if (code && destination) onDelivery({ operation: box.operation, destination, code });
      box = undefined;
      return;
    }
    const field = BOX_FIELD.exec(line);
    if (field) box.fields[field[1]!.trim()] = field[2]!;
  };
  return (chunk) => {
    pending += chunk.toString();
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    if (pending.length > MAX_PENDING) pending = "";
    for (const line of lines) readLine(line.replace(ANSI, ""));
  };
}

const PURPOSES: Record<string, string> = {
  SignUp: "Sign-up confirmation code",
  ResendConfirmationCode: "Sign-up confirmation code",
  ForgotPassword: "Password reset code",
};

/** The lines `npm start` prints for a code: easy to spot between the request logs, easy to copy. */
export function describeCodeDelivery(delivery: CodeDelivery): string {
  const purpose = PURPOSES[delivery.operation] ?? `Code (${delivery.operation})`;
  return `\n  ✉  ${purpose} for ${delivery.destination}:  ${delivery.code}\n     (cognito-local sends no e-mail; enter this code in the storefront)\n\n`;
}
