import { spawnSync } from "node:child_process";

/** Returns the Java major version on PATH, or undefined when there is none. */
export function javaMajorVersion(): number | undefined {
  const probe = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) return undefined;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(probe.stderr + probe.stdout);
  if (!match) return undefined;
  const major = Number(match[1]);
  return major === 1 ? Number(match[2]) : major;
}

export const JAVA_INSTALL_HINT =
  "DynamoDB Local needs Java 11 or newer. On Debian/Ubuntu: sudo apt-get install -y default-jre-headless; on macOS: brew install openjdk.";

export function assertJava(): void {
  const major = javaMajorVersion();
  if (major === undefined) throw new Error(`Java was not found on PATH. ${JAVA_INSTALL_HINT}`);
  if (major < 11) throw new Error(`Java ${major} is too old. ${JAVA_INSTALL_HINT}`);
}
