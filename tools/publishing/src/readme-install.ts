import { ENGINE_OVERRIDES, ENGINE_PACKAGE, ENGINES, Engine, engineLabel, engineSpec } from '@crdb-ory/engines';
import { PackageManifest } from './package-manifest';

/** The `npm install` commands of a README's "## Install" section, continuation lines joined. */
export function installCommands(readme: string): { section: string; commands: string[] } {
  const section = /^## Install\b[^\n]*\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme)?.[1] ?? '';
  const commands = section
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.trim().replace(/\s+/g, ' '))
    .filter((line) => line.startsWith('npm install '));
  return { section, commands };
}

/** What `npm install` needs on `engine` for `manifest`: the package, the engine as `cdktf`, every other peer at the version we test with. */
export function installTokens(manifest: PackageManifest, root: PackageManifest, engine: Engine): string[] {
  const tested = { ...root.devDependencies, ...root.dependencies };
  const peers = Object.keys(manifest.peerDependencies ?? {}).filter((name) => name !== ENGINE_PACKAGE);
  return [`${manifest.name}@`, `${ENGINE_PACKAGE}@${engineSpec(engine)}`, ...peers.map((name) => `${name}@${tested[name] ?? '<not pinned by the root package.json>'}`)];
}

/**
 * A package that takes the engine as a peer says in its README how to install it on each
 * supported engine: one `npm install` per engine with the package and every peer at the
 * version we test with, and for an engine installed under an alias, the override that keeps
 * one copy (`npm pkg set 'overrides.cdktf=$cdktf'`).
 */
export function readmeInstallProblems(manifest: PackageManifest, readme: string | undefined, root: PackageManifest): string[] {
  if (!(ENGINE_PACKAGE in (manifest.peerDependencies ?? {}))) return [];
  if (readme === undefined) return ['has no README.md to say how to install it on each engine'];
  const { section, commands } = installCommands(readme);
  if (section === '') return ['README.md has no "## Install" section (one `npm install` per engine: see docs/engines.md)'];
  const problems: string[] = [];
  for (const engine of ENGINES) {
    const tokens = installTokens(manifest, root, engine);
    if (!commands.some((command) => tokens.every((token) => command.split(/\s+/).some((word) => word.startsWith(token))))) {
      problems.push(`README.md "## Install" has no \`npm install\` for ${engineLabel(engine)} with ${tokens.join(' ')}`);
    }
    const override = `overrides.${ENGINE_PACKAGE}=${ENGINE_OVERRIDES[ENGINE_PACKAGE]}`;
    if (engine.name !== ENGINE_PACKAGE && !section.includes(override)) {
      problems.push(`README.md "## Install" does not set the override ${engine.name} needs (npm pkg set '${override}')`);
    }
  }
  return problems;
}
