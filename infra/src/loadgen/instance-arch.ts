/** Which CPU architecture an EC2 instance type runs, to pick a matching Amazon Linux 2023 AMI. */
export type Arch = "arm64" | "x86_64";

/**
 * Graviton families carry a `g` after the generation number (c7g, m7gd, c6gn, t4g, im4gn, is4gen, hpc7g);
 * `a1` is the first Graviton. GPU families start with `g` (g5, g6) and are x86 unless suffixed (g5g).
 */
export function architectureOf(instanceType: string): Arch {
  const family = instanceType.split(".")[0] ?? "";
  if (family === "a1") return "arm64";
  const match = /^[a-z-]+\d+([a-z-]*)$/.exec(family);
  return match && (match[1] ?? "").includes("g") ? "arm64" : "x86_64";
}

/** The public SSM parameter holding the latest Amazon Linux 2023 AMI id for the architecture. */
export function al2023AmiParameter(arch: Arch): string {
  return `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}`;
}
