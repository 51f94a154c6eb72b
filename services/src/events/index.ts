/** The table's stream consumers, for the local stack's stream poller (the Lambda entry is functions/order-events.ts). */
export * from "./order-events-handler";
export type { Mail, MailSender } from "../domain/mail";
