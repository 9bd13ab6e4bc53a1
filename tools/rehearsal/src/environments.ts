import type { TeardownOptions } from '@crdb-ory/teardown';

/** The apps the rehearsal deploys, by their entry points (what `npm run synth` and `npm run synth:multi-region` run). */
export const REHEARSED_APPS = {
  /** The single-region app (`apps/us-east-1`). */
  'us-east-1': 'apps/us-east-1/src/main.ts',
  /** The multi-region app (`apps/multi-region`): global stacks in the primary region and each region's stacks. */
  'multi-region': 'apps/multi-region/src/main.ts',
} as const;

export type RehearsedApp = keyof typeof REHEARSED_APPS;

/** One environment the rehearsal deploys into the emulator's one account, side by side with the others. */
export interface RehearsedEnvironment {
  /** Its name prefix. */
  readonly name: string;
  /** The app that synthesizes it. */
  readonly app: RehearsedApp;
  /**
   * Deployed first as `main` deployed it (tools/rehearsal/baseline, the single-region app's
   * stacks) and moved onto this version; the changed configurations plan against it. At most one
   * environment, the first. @default false: deployed from this version
   */
  readonly fromBaseline?: boolean;
  /** Merged over the rehearsal configuration (`--config`). */
  readonly change: Readonly<Record<string, unknown>>;
  /** How the rehearsal tears it down (`npm run teardown -- --yes`, with `--delete-data` or not). */
  readonly teardown: TeardownOptions;
  readonly description: string;
}

/** The account moto serves. */
export const EMULATOR_ACCOUNT = '123456789012';

/**
 * Two environments in one account: the rehearsal configuration as it is (the single-region app,
 * in us-east-1), and the multi-region app in its default three regions (us-east-1 primary,
 * us-east-2 secondary, us-west-2) with the prefix `staging` (and its own state bucket, which the
 * configuration names) and one NAT gateway per VPC (`single`, as a staging environment usually
 * saves). The first is torn down keeping its backups and final snapshots, the second deleting its
 * data. One multi-region environment instead of a third one: the suite's CPU budget
 * (docs/rehearsal.md, "Two environments in one account").
 */
export const ENVIRONMENTS: readonly RehearsedEnvironment[] = [
  { name: 'crdb-ory', app: 'us-east-1', fromBaseline: true, change: {}, teardown: { deleteData: false }, description: 'the rehearsal configuration (single-region app, us-east-1), torn down keeping its backups and final snapshots' },
  {
    name: 'staging',
    app: 'multi-region',
    // One NAT gateway per VPC, as a staging environment usually saves: the Elastic IPs two
    // environments hold in us-east-1 (see docs/rehearsal.md, "Two environments in one account").
    change: { namePrefix: 'staging', stateBackend: { bucket: `staging-tfstate-${EMULATOR_ACCOUNT}-us-east-1` }, network: { natGateways: 'single' } },
    teardown: { deleteData: true },
    description: 'the multi-region app in its three default regions (us-east-1 primary, us-east-2, us-west-2) with the prefix staging and one NAT gateway per VPC, in the same account, torn down with --delete-data',
  },
];

/** The environments named in `names` (`--environments`), in the rehearsal's order; a UsageError-worthy message for a name it does not know. */
export function selectEnvironments(names: readonly string[] | undefined, known: readonly RehearsedEnvironment[] = ENVIRONMENTS): RehearsedEnvironment[] | string {
  if (names === undefined) return [...known];
  const unknown = names.filter((name) => !known.some((environment) => environment.name === name));
  if (unknown.length > 0 || names.length === 0) return `--environments "${names.join(',')}": ${unknown.length > 0 ? `no environment ${unknown.map((name) => `"${name}"`).join(', ')}` : 'names none'}; allowed are ${known.map((environment) => environment.name).join(', ')} (comma-separated)`;
  return known.filter((environment) => names.includes(environment.name));
}
