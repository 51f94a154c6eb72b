import type { SessionRecord } from "./state";

/**
 * The hosted payment page, at the session's `url`: what is bought and the total, a "Card number" field
 * and a "Pay" button, a link back to the shop. Plain HTML with one form: works without JavaScript, in
 * a browser test and with a plain HTTP form POST.
 */

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (character) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[character]!,
  );

/** An amount in the currency's smallest unit, shown the way the currency writes it (cents, yen…). */
export function formatAmount(amount: number, currency: string): string {
  try {
    const format = new Intl.NumberFormat("en", { style: "currency", currency: currency.toUpperCase() });
    return format.format(amount / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
  } catch {
    return `${(amount / 100).toFixed(2)} ${currency.toUpperCase()}`;
  }
}

const STYLE = `
body { font-family: system-ui, sans-serif; background: #f6f9fc; color: #1a1f36; margin: 0; }
main { max-width: 26rem; margin: 3rem auto; background: #fff; padding: 2rem; border-radius: 8px;
       box-shadow: 0 2px 8px rgba(0,0,0,.08); }
.test { display: inline-block; background: #ffde92; color: #5f3a00; font-size: .75rem; font-weight: 600;
        padding: .1rem .4rem; border-radius: 4px; }
.total { font-size: 2rem; font-weight: 600; margin: .25rem 0 1.5rem; }
ul { list-style: none; padding: 0; margin: 0 0 1.5rem; } li { display: flex; justify-content: space-between; }
label { display: block; font-weight: 500; margin-bottom: .25rem; }
input { width: 100%; box-sizing: border-box; font-size: 1rem; padding: .6rem; border: 1px solid #cfd7df; border-radius: 6px; }
button { width: 100%; margin-top: 1rem; font-size: 1rem; padding: .75rem; border: 0; border-radius: 6px;
         background: #635bff; color: #fff; font-weight: 600; cursor: pointer; }
[role=alert] { margin-top: 1rem; padding: .75rem; border-radius: 6px; background: #fde8e8; color: #a4161a; }
.hint { color: #697386; font-size: .85rem; margin-top: 1.5rem; }
`;

function document(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

const backLink = (record: SessionRecord, text: string) =>
  record.session.cancel_url ? `<p><a href="${escapeHtml(record.session.cancel_url)}">${escapeHtml(text)}</a></p>` : "";

/** The page of an open session, with what the last attempt said (a decline, an unknown card). */
export function payPage(record: SessionRecord, problem?: string, cardNumber = ""): string {
  const { session, lineItems } = record;
  const items = lineItems
    .map(
      (item) =>
        `<li><span>${escapeHtml(item.name)}${item.quantity > 1 ? ` × ${item.quantity}` : ""}</span>` +
        `<span>${escapeHtml(formatAmount(item.unitAmount * item.quantity, session.currency))}</span></li>`,
    )
    .join("\n");
  return document(
    "Pay · local Stripe stand-in",
    `${backLink(record, "← Cancel and return to the shop")}
<span class="test">TEST MODE</span>
<h1>Pay</h1>
<p class="total">${escapeHtml(formatAmount(session.amount_total, session.currency))}</p>
<ul>
${items}
</ul>
<form method="post" action="/pay/${escapeHtml(session.id)}">
<label for="card-number">Card number</label>
<input id="card-number" name="cardNumber" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234" value="${escapeHtml(cardNumber)}" required>
<button type="submit">Pay</button>
</form>
${problem ? `<p role="alert">${escapeHtml(problem)}</p>` : ""}
<p class="hint">Test cards: 4242 4242 4242 4242 pays, 4000 0000 0000 0002 is declined.</p>`,
  );
}

/** A session that can no longer be paid (expired), or one already paid. */
export function closedPage(record: SessionRecord): string {
  const paid = record.session.status === "complete";
  return document(
    paid ? "Paid · local Stripe stand-in" : "Expired · local Stripe stand-in",
    paid
      ? `<h1>Paid</h1>
<p>This Checkout Session has been paid.</p>
<p><a href="${escapeHtml(record.session.success_url.replaceAll("{CHECKOUT_SESSION_ID}", record.session.id))}">Return to the shop</a></p>`
      : `<h1>Session expired</h1>
<p role="alert">This Checkout Session is no longer active: it has expired and cannot be paid.</p>
${backLink(record, "Return to the shop")}`,
  );
}

export function notFoundPage(): string {
  return document(
    "Not found · local Stripe stand-in",
    `<h1>Not found</h1>
<p>There is no payment page here.</p>`,
  );
}
