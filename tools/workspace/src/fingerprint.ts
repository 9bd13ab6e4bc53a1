import type { Prerequisite } from './prerequisites';

/**
 * What is installed, one line per prerequisite (`terraform 1.11.4`, the provider mirror's
 * contents, `shellcheck 0.9.0`): an Nx runtime input, so results of tasks that use these tools
 * are not replayed from the cache after the tools change. No network, no machine paths.
 */
export async function prerequisitesFingerprint(table: readonly Prerequisite[], env: NodeJS.ProcessEnv): Promise<string[]> {
  const lines = await Promise.all(
    table.map(async (prerequisite) => {
      const version = (await prerequisite.probe({ env, network: false })) ?? 'missing';
      return [`${prerequisite.name} ${version}`, ...(prerequisite.fingerprint?.() ?? []).map((line) => `  ${line}`)];
    }),
  );
  return lines.flat();
}
