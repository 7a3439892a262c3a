import { cp } from 'node:fs/promises';

/**
 * What a copy of the infrastructure tree leaves behind: the caches and plans of runs,
 * and the provider lock file. The lock file holds the registry's checksums (or a
 * locally built provider's), so a copy that runs with another provider build than the
 * tree's would fail its checksum check; the copy's own init writes a fresh one.
 */
const leftBehind = /(^|[/\\])(\.terraform|\.terragrunt-cache|\.terraform\.lock\.hcl|[^/\\]*\.tfplan(\.json)?)([/\\]|$)/;

/** Copies HCL trees (the infra root, a module) for runs that must not write into the checkout. */
export async function copyInfraTree(from: string, to: string): Promise<void> {
  await cp(from, to, { recursive: true, filter: (src) => !leftBehind.test(src.slice(from.length)) });
}
