import type { Leftover } from '@crdb-ory/teardown';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { motoPython } from './python';

/** What the emulator's account holds after the teardowns (`moto/leftovers.py`). */
export interface AccountLeftovers {
  readonly buckets: readonly string[];
  readonly snapshots: ReadonlyArray<{ readonly id: string; readonly tags: Readonly<Record<string, string>> }>;
  readonly kmsKeys: ReadonlyArray<{ readonly id: string; readonly state: string; readonly description: string }>;
  readonly kmsAliases: readonly string[];
  readonly secrets: ReadonlyArray<{ readonly name: string; readonly deleted: boolean }>;
  readonly logGroups: readonly string[];
  readonly [other: string]: unknown;
}

/** Kinds of resources nothing may leave behind (the teardown destroys all of them). */
const NOTHING_STAYS = ['loadBalancers', 'targetGroups', 'clusters', 'instances', 'volumes', 'vpcs', 'eips', 'roles', 'topics', 'alarms', 'dashboards', 'hostedZones'] as const;

const LEFTOVERS_SCRIPT = join(__dirname, '..', 'moto', 'leftovers.py');

/** Lists the emulator account's leftovers in `region`. */
export function listLeftovers(endpoint: string, caBundle: string, region: string, python = motoPython()): Promise<AccountLeftovers> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [LEFTOVERS_SCRIPT, endpoint, region], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AWS_CA_BUNDLE: caBundle } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(stdout) as AccountLeftovers) : reject(new Error(`${LEFTOVERS_SCRIPT} exited ${code}: ${stderr.trim()}`))));
  });
}

/**
 * Differences between what the teardowns said would stay (their dry runs' lists) and what the
 * account holds: the kept buckets and only them, one final snapshot per snapshotted volume (it
 * carries the volume's tags), the kept KMS keys enabled and every other key pending deletion, every
 * secret in its recovery window, and nothing else of any kind the stacks create.
 */
export function leftoverProblems(expected: readonly Leftover[], actual: AccountLeftovers, placeholders: Readonly<Record<string, string>>): string[] {
  const resolve = (name: string) => Object.entries(placeholders).reduce((text, [placeholder, value]) => text.split(placeholder).join(value), name);
  const names = (kind: Leftover['kind']) => expected.filter((l) => l.kind === kind).map((l) => resolve(l.name)).sort();
  const problems: string[] = [];
  const compare = (what: string, want: readonly string[], got: readonly string[]) => {
    if (JSON.stringify([...want].sort()) !== JSON.stringify([...got].sort())) problems.push(`${what}: expected ${JSON.stringify([...want].sort())}, found ${JSON.stringify([...got].sort())}`);
  };
  const compareCounts = (what: string, want: number, got: readonly string[]) => {
    if (got.length !== want) problems.push(`${what}: expected ${want}, found ${got.length}: ${JSON.stringify([...got].sort())}`);
  };
  compare('buckets', names('bucket'), actual.buckets);
  compare('final snapshots (by their Name tag)', names('snapshot'), actual.snapshots.map((s) => s.tags['Name'] ?? s.id));
  const keys = (pending: boolean) => actual.kmsKeys.filter((k) => (k.state === 'PendingDeletion') === pending).map((k) => `${k.state}: ${k.description}`);
  compareCounts('KMS keys not pending deletion', names('kms-key').length, keys(false));
  compareCounts('KMS keys pending deletion', names('kms-key-pending-deletion').length, keys(true));
  compare('KMS aliases', names('kms-key').filter((name) => name.startsWith('alias/')), actual.kmsAliases);
  compare('secrets in their recovery window', names('secret-in-recovery-window'), actual.secrets.filter((s) => s.deleted).map((s) => s.name));
  compare('secrets not deleted', [], actual.secrets.filter((s) => !s.deleted).map((s) => s.name));
  compare('log groups', names('log-group'), actual.logGroups);
  for (const kind of NOTHING_STAYS) compare(kind, [], (actual[kind] as readonly string[] | undefined) ?? []);
  return problems;
}

/** What a teardown's dry run said would stay, with the region it stays in (its resource's provider's, `resourceRegion`). */
export type RegionalLeftover = Leftover & { readonly region: string };

/** Listings the emulator answers the same from every region: S3's ListBuckets (every bucket of the account), IAM and Route 53 (global services). */
const GLOBAL_LISTINGS = ['buckets', 'roles', 'hostedZones'] as const;

/**
 * `leftoverProblems` over every region the environments used: each region's listing against what
 * stays in that region (names resolved with the leftover's own region), the global listings
 * (buckets, roles, hosted zones) once, in the first region listed. Problems name their region
 * when there are several; a leftover in a region that was not listed is a problem too.
 */
export function accountLeftoverProblems(expected: readonly RegionalLeftover[], listings: ReadonlyArray<{ readonly region: string; readonly leftovers: AccountLeftovers }>, account: string): string[] {
  const listed = new Set(listings.map((listing) => listing.region));
  const unlisted = [...new Set(expected.filter((leftover) => !listed.has(leftover.region)).map((leftover) => leftover.region))].map((region) => `${region}: stays per the dry runs, but was not listed`);
  const resolved = expected.map((leftover) => ({ ...leftover, name: leftover.name.split('<account>').join(account).split('<region>').join(leftover.region) }));
  return [
    ...unlisted,
    ...listings.flatMap(({ region, leftovers }, i) => {
      const inRegion = resolved.filter((leftover) => (leftover.kind === 'bucket' ? i === 0 : leftover.region === region));
      const listing = i === 0 ? leftovers : { ...leftovers, ...Object.fromEntries(GLOBAL_LISTINGS.map((kind) => [kind, []])) };
      return leftoverProblems(inRegion, listing, {}).map((problem) => (listings.length > 1 ? `${region}: ${problem}` : problem));
    }),
  ];
}
