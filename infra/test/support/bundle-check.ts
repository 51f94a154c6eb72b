import { builtinModules } from "node:module";

/**
 * Loaded lazily inside a try/catch by the SDK's multi-region signer, only for SigV4a requests (which this
 * project never makes); esbuild keeps such optional requires as they are.
 */
export const OPTIONAL_SDK_REQUIRES = ["@aws-sdk/signature-v4-crt"];

/** Modules a bundle still loads at run time that neither Node nor the bundle itself provides. */
export function missingRequires(code: string): string[] {
  const names = [...code.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]!);
  return [...new Set(names)].filter(
    (name) => !name.startsWith("node:") && !builtinModules.includes(name) && !OPTIONAL_SDK_REQUIRES.includes(name),
  );
}
