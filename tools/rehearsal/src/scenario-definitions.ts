/**
 * A changed configuration, planned against the rehearsed state and reviewed by plan-review.
 * `expectedFlags` is exactly what plan-review must flag, as `<rule> <stack> <address>`.
 */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  /** Merged over the rehearsal's configuration. */
  readonly change: Record<string, unknown>;
  /** The stacks whose synthesized configuration changes, in deploy order. */
  readonly expectedStacks: readonly string[];
  readonly expectedFlags: readonly string[];
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'cockroach-version',
    description: 'another CockroachDB release (v25.4.0 to v25.4.1; the checksum is a stand-in, nothing boots)',
    change: { cockroach: { version: 'v25.4.1', binarySha256: '0'.repeat(64) } },
    expectedStacks: ['cockroach'],
    expectedFlags: [],
  },
  {
    name: 'instance-type',
    description: 'another instance type for the nodes (m6i.2xlarge to r6i.2xlarge)',
    change: { cockroach: { instanceType: 'r6i.2xlarge' } },
    expectedStacks: ['cockroach'],
    expectedFlags: [],
  },
  {
    name: 'data-volume',
    description: 'bigger data volumes (500 to 750 GiB)',
    change: { cockroach: { dataVolume: { sizeGiB: 750 } } },
    expectedStacks: ['cockroach'],
    expectedFlags: [],
  },
  {
    name: 'name-prefix',
    description: 'a renamed prefix (crdb-ory to crdb-ory2): every name changes',
    change: { namePrefix: 'crdb-ory2' },
    expectedStacks: [],
    expectedFlags: [],
  },
];
