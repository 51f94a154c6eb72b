/**
 * The storefront's security headers, added by CloudFront to every response (a response headers policy on every
 * behaviour): HSTS, a Content-Security-Policy, no framing, a referrer policy and nosniff. Shoppers' tokens live in
 * localStorage, so what may run on the page is the point: scripts from the site itself and the build's own inline
 * script (allowed by its hash, read from the index.html being deployed), nothing else.
 */
import { createHash } from "node:crypto";

/** Two years: what the HSTS preload list asks for; HTTPS is the only way in (viewer protocol policies). */
export const HSTS_MAX_AGE_SECONDS = 63_072_000;

/**
 * `'sha256-…'` of every inline `<script>` of a page, in order. Angular's build adds one to index.html (it turns the
 * critical-CSS `media="print"` stylesheet back on); without its hash, a CSP without 'unsafe-inline' blocks it and
 * the page stays unstyled.
 */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const match of html.matchAll(/<script(\s[^>]*)?>([\s\S]*?)<\/script\s*>/gi)) {
    const attributes = match[1] ?? "";
    const body = match[2] ?? "";
    if (/\ssrc\s*=/i.test(attributes) || body === "" || !runs(attributes)) continue;
    hashes.push(`'sha256-${createHash("sha256").update(body, "utf8").digest("base64")}'`);
  }
  return hashes;
}

/**
 * Whether a `<script>` with these attributes runs: no type, `module` or a JavaScript type. Data blocks (the
 * build's `application/json` map of content-hashed pictures) never run, so CSP does not apply to them.
 */
function runs(attributes: string): boolean {
  const type = /\stype\s*=\s*["']?([^"'\s>]*)/i.exec(attributes)?.[1]?.toLowerCase();
  return (
    type === undefined || type === "" || type === "module" || /^(text|application)\/(x-)?(java|ecma)script$/.test(type)
  );
}

/**
 * The page may load scripts, styles, fonts and data from its own origin, talk to Cognito's regional endpoint (sign
 * in, refresh) and show product images from anywhere over HTTPS; it may not be framed, post forms elsewhere or
 * load plugins. Styles allow 'unsafe-inline': Angular puts component styles in `<style>` elements at run time.
 */
export function contentSecurityPolicy(args: { region: string; inlineScriptHashes: readonly string[] }): string {
  return [
    "default-src 'self'",
    ["script-src 'self'", ...args.inlineScriptHashes].join(" "),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "font-src 'self' data:",
    `connect-src 'self' https://cognito-idp.${args.region}.amazonaws.com`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");
}
