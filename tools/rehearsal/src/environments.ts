import type { TeardownOptions } from '@crdb-ory/teardown';

/** One environment the rehearsal deploys into the emulator's one account, side by side with the others. */
export interface RehearsedEnvironment {
  /** Its name prefix. */
  readonly name: string;
  /** Merged over the rehearsal configuration (`--config`). */
  readonly change: Readonly<Record<string, unknown>>;
  /** How the rehearsal tears it down (`npm run teardown -- --yes`, with `--delete-data` or not). */
  readonly teardown: TeardownOptions;
  readonly description: string;
}

/** The account moto serves. */
export const EMULATOR_ACCOUNT = '123456789012';

/**
 * Two environments in one account and region: the rehearsal configuration as it is, and a second
 * one that differs in its prefix (and its state bucket, which the configuration names) and its NAT
 * layout (`single`, as a staging environment usually saves). The
 * first is torn down keeping its backups and final snapshots, the second deleting its data.
 */
export const ENVIRONMENTS: readonly RehearsedEnvironment[] = [
  { name: 'crdb-ory', change: {}, teardown: { deleteData: false }, description: 'the rehearsal configuration, torn down keeping its backups and final snapshots' },
  {
    name: 'staging',
    // One NAT gateway per VPC, as a staging environment usually saves: the Elastic IPs two
    // environments hold in one account (see docs/rehearsal.md, "Two environments").
    change: { namePrefix: 'staging', stateBackend: { bucket: `staging-tfstate-${EMULATOR_ACCOUNT}-us-east-1` }, network: { natGateways: 'single' } },
    teardown: { deleteData: true },
    description: 'the same configuration with the prefix staging and one NAT gateway per VPC, in the same account and region, torn down with --delete-data',
  },
];
