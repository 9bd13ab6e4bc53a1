import { spawnSync } from 'node:child_process';
import type { Prerequisite } from './prerequisites';
import type { ProbeContext } from './probes';
import { compareVersions } from './version';

/** A prerequisite that is missing, or installed in a version that does not do. */
export interface MissingPrerequisite {
  readonly prerequisite: Prerequisite;
  /** The version found, if too old. */
  readonly found?: string;
}

export interface PrerequisiteOptions {
  readonly env: NodeJS.ProcessEnv;
  /** Whether missing Debian packages may be installed with apt-get. @default running as root with apt-get on PATH */
  readonly canInstall?: boolean;
  readonly log: (line: string) => void;
}

/**
 * Checks every prerequisite; installs the missing Debian packages with apt-get where it can
 * (root, apt-get on PATH), then checks those again. Returns what is still missing.
 */
export async function ensurePrerequisites(table: readonly Prerequisite[], options: PrerequisiteOptions): Promise<MissingPrerequisite[]> {
  const context: ProbeContext = { env: options.env, network: true };
  const missing = await findMissing(table, context);
  const installable = missing.filter((m) => m.prerequisite.aptPackage);
  if (installable.length === 0 || !(options.canInstall ?? canUseApt(options.env))) return missing;
  const packages = installable.flatMap((m) => (m.prerequisite.aptPackage ? [m.prerequisite.aptPackage] : []));
  options.log(`installing ${packages.join(', ')} (Debian packages) with apt-get`);
  aptInstall(packages, options.env);
  const rechecked = await findMissing(
    installable.map((m) => m.prerequisite),
    context,
  );
  return [...missing.filter((m) => !m.prerequisite.aptPackage), ...rechecked];
}

/** One line naming what to install: `install first: terraform >= 1.10 (found 1.5.7; https://...), shellcheck >= 0.9 (apt-get install shellcheck)`. */
export function missingLine(missing: readonly MissingPrerequisite[]): string {
  const items = missing.map(({ prerequisite: p, found }) => `${p.name} ${p.version} (${found ? `found ${found}; ` : ''}${p.install})`);
  return `Prerequisites missing, install them and run the command again: ${items.join('; ')}`;
}

async function findMissing(table: readonly Prerequisite[], context: ProbeContext): Promise<MissingPrerequisite[]> {
  const results = await Promise.all(table.map(async (prerequisite) => ({ prerequisite, version: await prerequisite.probe(context) })));
  return results.flatMap(({ prerequisite, version }) => (accepts(prerequisite, version) ? [] : [{ prerequisite, ...(version ? { found: version } : {}) }]));
}

export function accepts(prerequisite: Prerequisite, version: string | undefined): boolean {
  if (version === undefined) return false;
  if (prerequisite.minimum === undefined) return true;
  const order = compareVersions(version, prerequisite.minimum);
  return prerequisite.exact ? order === 0 : order >= 0;
}

function canUseApt(env: NodeJS.ProcessEnv): boolean {
  return process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], { env, stdio: 'ignore' }).status === 0;
}

function aptInstall(packages: readonly string[], env: NodeJS.ProcessEnv): void {
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', ...packages]]) {
    spawnSync('apt-get', args, { env: aptEnv, stdio: ['ignore', 'ignore', 'inherit'], timeout: 600_000 });
  }
}
