import { buildStorefrontIfStale } from '@flash-sale/local/storefront-build';

/** The e2e tests drive the production build: (re)build it when it is missing or older than its sources. */
export default function buildStorefront(): void {
  if (!buildStorefrontIfStale((message) => process.stdout.write(`\ne2e: ${message}\n`))) {
    throw new Error('e2e: the storefront build failed (npx ng build in web/)');
  }
}
