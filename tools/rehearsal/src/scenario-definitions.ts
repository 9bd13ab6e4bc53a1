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
  /**
   * Plans that must stop at a plan-time check (an account check, or a precondition such as the Ory subnets' cluster tag), with a message containing `message` (terraform's wrapping and borders read as one space)
   * (a planted failure): that stack is not reviewed, and the rehearsal fails if it plans.
   * @default none
   */
  readonly expectedStops?: ReadonlyArray<{ readonly stack: string; readonly message: string }>;
  /** Plan only these of the changed stacks (a second environment's later stacks need its earlier ones applied). @default every changed stack */
  readonly onlyStacks?: readonly string[];
  /**
   * Stacks of every other environment whose resources the expected messages count (the Elastic
   * IPs in use): the plans start once those are deployed, and those environments' teardowns wait
   * for them. @default none
   */
  readonly countsOtherEnvironments?: readonly string[];
}

/**
 * What plan-review may flag when a deployment of the baseline (what `main` deployed, see
 * tools/rehearsal/baseline) moves onto this version: nothing. The PKI keeps every certificate
 * and secret (it only adds the SSM parameters it now publishes), the nodes keep their instances,
 * volumes and attachments (their roles change, not the instances), no bucket or key is replaced.
 */
export const MOVE_EXPECTED_FLAGS: readonly string[] = [];

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'cockroach-version',
    description: 'another CockroachDB release (the default to v26.2.2; the checksum is a stand-in, nothing boots)',
    change: { cockroach: { version: 'v26.2.2', binarySha256: '0'.repeat(64) } },
    expectedStacks: ['cockroach'],
    // Only the three nodes' wanted-settings records change: a plain apply touches no node (npm run roll does, one at a time).
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
    // Three online EBS modifications in one apply: flagged, so they are acknowledged or rolled one node at a time.
    expectedFlags: [
      'crdb-nodes-touched cockroach aws_ebs_volume.node-1_data_75090459',
      'crdb-nodes-touched cockroach aws_ebs_volume.node-2_data_F1281083',
      'crdb-nodes-touched cockroach aws_ebs_volume.node-3_data_6D0525CF',
    ],
  },
  {
    name: 'name-prefix',
    description: 'a renamed prefix (crdb-ory to crdb-ory2): every name changes, the EKS cluster name too (ory to crdb-ory2-ory); the seeded tls stand-ins cannot show what the tls provider would replace',
    change: { namePrefix: 'crdb-ory2' },
    // The state stack too: its key's alias is the prefix's (alias/<prefix>-tfstate).
    expectedStacks: ['state', 'network', 'cockroach-pki', 'cockroach-backup', 'cockroach', 'eks'],
    // The eks plan stops at its precondition: the deployed network stack tagged the subnets for
    // the cluster `ory`; network must be deployed first (then the cluster is replaced).
    expectedStops: [{ stack: 'eks', message: 'tagged the Ory subnets for another EKS cluster name than "crdb-ory2-ory"' }],
    // No node is replaced (its instance is updated in place), but all three are touched at once;
    // the backup bucket and every certificate secret are replaced.
    expectedFlags: [
      'bucket-replaced cockroach-backup aws_s3_bucket.backups_bucket_5DB31D01',
      'crdb-nodes-touched cockroach aws_ebs_volume.node-1_data_75090459',
      'crdb-nodes-touched cockroach aws_ebs_volume.node-2_data_F1281083',
      'crdb-nodes-touched cockroach aws_ebs_volume.node-3_data_6D0525CF',
      'crdb-nodes-touched cockroach aws_instance.node-1_instance_9677A2F7',
      'crdb-nodes-touched cockroach aws_instance.node-2_instance_CF0C11F4',
      'crdb-nodes-touched cockroach aws_instance.node-3_instance_6781305E',
      'crdb-nodes-touched cockroach aws_lb_target_group_attachment.node-1_target_7C7683B7',
      'crdb-nodes-touched cockroach aws_lb_target_group_attachment.node-2_target_E173A77D',
      'crdb-nodes-touched cockroach aws_lb_target_group_attachment.node-3_target_53D58229',
      'pki-replaced cockroach-pki aws_secretsmanager_secret.client-hydra-secret_44A98A66',
      'pki-replaced cockroach-pki aws_secretsmanager_secret.client-keto-secret_9FD46843',
      'pki-replaced cockroach-pki aws_secretsmanager_secret.client-kratos-secret_CF5A03D3',
      'pki-replaced cockroach-pki aws_secretsmanager_secret.client-root-secret_08BE45D9',
      'pki-replaced cockroach-pki aws_secretsmanager_secret.client-verifier-secret_0D2706CA',
      'pki-replaced cockroach-pki aws_secretsmanager_secret.node-1-secret_A2B36C9B',
      'pki-replaced cockroach-pki aws_secretsmanager_secret.node-2-secret_4B825540',
      'pki-replaced cockroach-pki aws_secretsmanager_secret.node-3-secret_F10ECE26',
    ],
  },
  {
    name: 'third-environment',
    description: 'a third environment in the same account (namePrefix and state keyPrefix crdb-ory2): its network plan must stop at the Elastic IP quota, which the two deployed environments use all 6 of (4 and staging\'s 2; staging\'s deploy raised it from 5 to 6)',
    change: { namePrefix: 'crdb-ory2', stateBackend: { keyPrefix: 'crdb-ory2' } },
    onlyStacks: ['network'],
    // Its message counts staging's 2 Elastic IPs, and the quota staging's network deploy raised to 6.
    countsOtherEnvironments: ['network'],
    expectedStacks: ['network'],
    expectedFlags: [],
    expectedStops: [
      {
        stack: 'network',
        message:
          'network.natGateways "ory-per-az" allocates 4 Elastic IPs (one per NAT gateway), and 6 are in use by other resources of the account: 10 in all, but the quota L-0263D0A3 ("EC2-VPC Elastic IPs") of this account in us-east-1 is 6.',
      },
    ],
  },
  {
    name: 'instance-type-not-offered',
    description: 'an instance type EC2 has but does not offer in us-east-1a/b/c (x8aedz.xlarge, per the offerings moto ships): the cockroach plan must stop; eks re-plans its vCPU need without the nodes (x is not a standard instance)',
    change: { cockroach: { instanceType: 'x8aedz.xlarge' } },
    expectedStacks: ['cockroach', 'eks'],
    expectedFlags: [],
    expectedStops: [{ stack: 'cockroach', message: 'cockroach.instanceType "x8aedz.xlarge" is not offered in us-east-1a, us-east-1b, us-east-1c' }],
  },
  {
    name: 'vcpus-over-quota',
    description: 'eks.nodeMaxSize 4 to 10: with the raised quota of 64 vCPUs, 88 at a node update do not fit, and both compute stacks stop at the vCPU check',
    change: { eks: { nodeMaxSize: 10 } },
    expectedStacks: ['cockroach', 'eks'],
    expectedFlags: [],
    expectedStops: [
      // What the other environment's instances add depends on how far staging has deployed when this plans: the message names it, the stop does not depend on it.
      { stack: 'cockroach', message: 'and the EKS nodes up to 64 (at a node update), and ' },
      { stack: 'eks', message: 'eks.nodeInstanceType "m5.xlarge" with eks.nodeMaxSize 10 runs up to 64 On-Demand standard vCPUs' },
    ],
  },
];
