import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";

/**
 * Compression as CloudFront applies it to the storefront (its cache behaviours have `compress: true` and the
 * managed CachingOptimized policy caches both encodings): Brotli when the browser accepts it, else gzip, only
 * for the content types CloudFront compresses and only for files of 1,000 to 10,000,000 bytes.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/ServingCompressedFiles.html
 */

export type Encoding = "br" | "gzip";

/** CloudFront's list of compressed content types (the part of Content-Type before any `;`). */
const COMPRESSED_TYPES = new Set([
  "application/dash+xml",
  "application/eot",
  "application/font",
  "application/font-sfnt",
  "application/javascript",
  "application/json",
  "application/opentype",
  "application/otf",
  "application/pkcs7-mime",
  "application/protobuf",
  "application/rss+xml",
  "application/truetype",
  "application/ttf",
  "application/vnd.apple.mpegurl",
  "application/vnd.ms-fontobject",
  "application/xhtml+xml",
  "application/xml",
  "application/x-font-opentype",
  "application/x-font-truetype",
  "application/x-font-ttf",
  "application/x-httpd-cgi",
  "application/x-javascript",
  "application/x-mpegurl",
  "application/x-opentype",
  "application/x-otf",
  "application/x-perl",
  "application/x-ttf",
  "font/eot",
  "font/opentype",
  "font/otf",
  "font/ttf",
  "image/svg+xml",
  "text/css",
  "text/csv",
  "text/html",
  "text/javascript",
  "text/js",
  "text/plain",
  "text/richtext",
  "text/tab-separated-values",
  "text/xml",
  "text/x-component",
  "text/x-java-source",
  "text/x-script",
  "vnd.apple.mpegurl",
]);

export const MIN_COMPRESSED_BYTES = 1_000;
export const MAX_COMPRESSED_BYTES = 10_000_000;

/** Whether CloudFront would compress a file of this type and size. */
export function isCompressible(contentType: string, size: number): boolean {
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  return COMPRESSED_TYPES.has(type) && size >= MIN_COMPRESSED_BYTES && size <= MAX_COMPRESSED_BYTES;
}

/**
 * The encoding to answer with for an `Accept-Encoding` header: `br` over `gzip` when both are acceptable (as
 * CloudFront chooses), none when neither is; `q=0` refuses an encoding, `*` stands for any not named.
 */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding | undefined {
  if (!acceptEncoding) return undefined;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(",")) {
    const [name = "", ...parameters] = part.split(";").map((piece) => piece.trim().toLowerCase());
    if (name === "") continue;
    const q = parameters.find((parameter) => parameter.startsWith("q="));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(name, Number.isFinite(weight) ? weight : 0);
  }
  const accepts = (name: Encoding) => (weights.get(name) ?? weights.get("*") ?? 0) > 0;
  if (accepts("br")) return "br";
  if (accepts("gzip")) return "gzip";
  return undefined;
}

const compressors: Record<Encoding, (data: Buffer) => Promise<Buffer>> = {
  br: (data) =>
    promisify(brotliCompress)(data, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
    }),
  gzip: (data) => promisify(gzip)(data, { level: 9 }),
};

/**
 * Compressed copies of files, made off the event loop once per file version (size and modification time) and
 * kept, so each file is compressed once however often it is asked for. A rebuild's new version replaces the old.
 */
export class CompressedFiles {
  private readonly copies = new Map<string, { version: string; data: Promise<Buffer> }>();

  get(file: string, stat: { size: number; mtimeMs: number }, encoding: Encoding): Promise<Buffer> {
    const key = `${encoding}\0${file}`;
    const version = `${stat.size}\0${stat.mtimeMs}`;
    const kept = this.copies.get(key);
    if (kept?.version === version) return kept.data;
    const data = readFile(file).then(compressors[encoding]);
    // A failed read (the file vanished mid-rebuild) is not kept: the next request tries again.
    data.catch(() => {
      if (this.copies.get(key)?.data === data) this.copies.delete(key);
    });
    this.copies.set(key, { version, data });
    return data;
  }
}
