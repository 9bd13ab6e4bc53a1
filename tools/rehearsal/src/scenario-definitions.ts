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
   * Stacks whose plan must stop at a precondition, with a part of its message: a deliberate
   * plan-time stop (deploy the upstream stack first). Their plans are not reviewed. @default none
   */
  readonly expectedPlanFailures?: Readonly<Record<string, string>>;
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'cockroach-version',
    description: 'another CockroachDB release (v25.4.0 to v25.4.1; the checksum is a stand-in, nothing boots)',
    change: { cockroach: { version: 'v25.4.1', binarySha256: '0'.repeat(64) } },
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
    expectedStacks: ['network', 'cockroach-pki', 'cockroach-backup', 'cockroach', 'eks'],
    // The eks plan stops at its precondition: the deployed network stack tagged the subnets for
    // the cluster `ory`; network must be deployed first (then the cluster is replaced).
    expectedPlanFailures: { eks: 'tagged the Ory subnets for another EKS cluster name than "crdb-ory2-ory"' },
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
];
