import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Mail, MailSender } from "@flash-sale/services/events";

/**
 * The local stack's mail port: each mail as one framed block in the `npm start` terminal, where it
 * stands out among the JSON log lines, and appended to a mailbox file under the data folder (kept
 * across restarts, like the orders).
 */
export function localMailbox(file: string, say: (text: string) => void): MailSender {
  mkdirSync(dirname(file), { recursive: true });
  return {
    send: async (mail) => {
      const block = mailBlock(mail, new Date());
      appendFileSync(file, `${block}\n\n`);
      say(block);
    },
  };
}

const RULE = "═".repeat(72);

function mailBlock(mail: Mail, at: Date): string {
  return [
    `╔${RULE}`,
    `║ ✉  MAIL ${at.toISOString()}  (${mail.id})`,
    `║ To:      shopper ${mail.shopper}`,
    `║ Subject: ${mail.subject}`,
    "║",
    ...mail.text.split("\n").map((line) => `║ ${line}`),
    `╚${RULE}`,
  ].join("\n");
}
