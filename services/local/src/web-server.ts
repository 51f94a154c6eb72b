import { createReadStream, existsSync, type Stats, statSync } from "node:fs";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { extname, join, normalize, relative, resolve, sep } from "node:path";
import { cacheControlFor } from "@flash-sale/services/contract";
import { CompressedFiles, chooseEncoding, isCompressible } from "./compression";
import { decodePath, robustServer, requestUrl, type ServerTimeouts } from "./http-server";

export interface ClientConfig {
  apiUrl: string;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  cognitoEndpoint?: string;
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
};

const NOT_BUILT_PAGE = `<!doctype html><meta charset="utf-8"><title>Storefront not built</title>
<p>The API is running, but the storefront has not been built yet. Run <code>npm run build -w web</code> and reload.</p>`;

/**
 * Serves the built storefront like CloudFront does in AWS: files with the cache policy they carry in S3,
 * compressed as CloudFront compresses them (see compression.ts), extensionless paths fall back to index.html
 * (client-side routes), and `/config.json` generated from the running stack.
 */
export function createWebServer(webRoot: string, config: ClientConfig, timeouts?: ServerTimeouts): Server {
  const root = resolve(webRoot);
  const compressed = new CompressedFiles();
  const sendFile = (request: IncomingMessage, response: ServerResponse, file: string, cacheControl: string) =>
    serveFile(request, response, { file, cacheControl, compressed });
  return robustServer(
    "storefront server",
    (request, response) => {
      const url = requestUrl(request);
      const path = url && decodePath(url.pathname);
      if (path === undefined || path.includes("\0")) {
        response.writeHead(400, { "content-type": "text/plain; charset=utf-8" });
        response.end("Bad request: the path is malformed.");
        return;
      }
      if (path === "/config.json") {
        response.writeHead(200, { "content-type": CONTENT_TYPES[".json"]!, "cache-control": "no-cache" });
        response.end(JSON.stringify(config));
        return;
      }
      const file = normalize(join(root, path));
      const insideRoot = file === root || file.startsWith(root + sep);
      if (insideRoot && existsSync(file) && statSync(file).isFile()) {
        sendFile(request, response, file, cacheControlFor(relative(root, file).split(sep).join("/")));
        return;
      }
      if (extname(path) !== "" || !insideRoot) {
        response.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
        response.end("Not found");
        return;
      }
      const index = join(root, "index.html");
      if (!existsSync(index)) {
        response.writeHead(503, { "content-type": CONTENT_TYPES[".html"]! });
        response.end(NOT_BUILT_PAGE);
        return;
      }
      sendFile(request, response, index, cacheControlFor("index.html"));
    },
    timeouts,
  );
}

/**
 * One file: compressed when CloudFront would compress it and the browser accepts an encoding, else as it is, with
 * its length either way. `Vary: Accept-Encoding` on every compressible type tells caches the two answers differ.
 */
function serveFile(
  request: IncomingMessage,
  response: ServerResponse,
  { file, cacheControl, compressed }: { file: string; cacheControl: string; compressed: CompressedFiles },
): void {
  let stat: Stats;
  try {
    stat = statSync(file);
  } catch {
    response.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    response.end("Not found");
    return;
  }
  const contentType = CONTENT_TYPES[extname(file)] ?? "application/octet-stream";
  const headers = { "content-type": contentType, "cache-control": cacheControl };
  const compressible = isCompressible(contentType, stat.size);
  const encoding = compressible ? chooseEncoding(request.headers["accept-encoding"]) : undefined;
  if (!encoding) {
    response.writeHead(200, {
      ...headers,
      "content-length": stat.size,
      ...(compressible ? { vary: "Accept-Encoding" } : {}),
    });
    pipeFile(file, response);
    return;
  }
  compressed.get(file, stat, encoding).then(
    (body) => {
      response.writeHead(200, {
        ...headers,
        "content-encoding": encoding,
        "content-length": body.length,
        vary: "Accept-Encoding",
      });
      response.end(body);
    },
    // A file vanishing mid-read (a rebuild) ends that response, never the process.
    () => response.destroy(),
  );
}

/** A file vanishing mid-read (a rebuild) ends that response, never the process. */
function pipeFile(file: string, response: ServerResponse): void {
  createReadStream(file)
    .on("error", () => response.destroy())
    .pipe(response);
}
