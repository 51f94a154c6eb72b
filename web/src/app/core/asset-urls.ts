/**
 * The build writes into index.html a map from the pictures' plain addresses (`/images/x.svg`, what the catalog
 * names) to content-hashed copies (`/media/images/x-HASH.svg`), which browsers and CloudFront keep for a year
 * (services/local/src/asset-versions.ts). An address not in the map (another site's picture, a dev build) is used
 * as it is.
 */
export const ASSET_MAP_ID = 'asset-versions';

let map: Readonly<Record<string, string>> | undefined;

function readMap(): Readonly<Record<string, string>> {
  try {
    const value: unknown = JSON.parse(document.getElementById(ASSET_MAP_ID)?.textContent ?? '{}');
    return typeof value === 'object' && value !== null ? (value as Record<string, string>) : {};
  } catch {
    return {};
  }
}

export function versionedUrl(url: string): string {
  map ??= readMap();
  return map[url] ?? url;
}

/** For tests: read the map again from the document. */
export function forgetAssetMap(): void {
  map = undefined;
}
