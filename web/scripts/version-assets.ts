/** After `ng build`: content-hashed copies of the pictures and their map in index.html (see asset-versions.ts). */
import { join } from 'node:path';
import { versionAssets } from '@flash-sale/local/asset-versions';

const map = versionAssets(join(__dirname, '..', 'dist', 'browser'));
console.log(`Content-hashed ${Object.keys(map).length} pictures into dist/browser/media/.`);
