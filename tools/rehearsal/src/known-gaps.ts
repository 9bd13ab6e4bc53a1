/**
 * What the emulator cannot prove, because moto does not model it and nothing the rehearsal does
 * depends on it: a reader of the report must know where moto is more lenient than AWS.
 */
/**
 * The multi-region environment's emulator gaps (issue 24, "Proven here, the rehearsal"), each with
 * how the rehearsal meets it.
 */
export const MULTI_REGION_GAPS: readonly string[] = [
  'Overlapping CIDRs: moto accepts a VPC peering between overlapping CIDRs, which AWS refuses. Not met here: the multi-region app refuses overlapping VPCs at synthesis, naming the setting (network\'s vpcCidrPlanProblems), so no overlapping peering reaches a plan; the rehearsed defaults do not overlap.',
  'DNS: moto answers no DNS query. The private zones are associated with every other region\'s VPCs for real (inter-region), but no name is resolved through them: that a node in us-west-2 reaches us-east-1\'s load balancer by name is proven only in AWS.',
  'Health checks: moto\'s Route 53 health checks always pass. Not met here: ory-public-dns (the failover records and their health checks) is built only with a domain and public access, which the rehearsal configuration has neither of; failover is not rehearsed.',
  'S3 replication: moto stores the backup bucket\'s replication configuration (cockroach-backup-<primary> to cockroach-backup-<secondary>), applies and re-plans it clean, and copies nothing: that a backup reaches the secondary region is proven only in AWS.',
  'KMS multi-Region keys: a replica key breaks the provider\'s re-plan against moto. Not met: every key is a regular regional key (the PKI owns one per region, each backup bucket its own), so the re-plan is clean.',
];

export const UNHANDLED_GAPS: readonly string[] = [
  'Nothing runs on the instances: moto records them but boots nothing, so user data, the bootstrap, the backup schedule and the alarms\' metrics are not exercised here (the cockroach tests run the scripts against stubs).',
  'Time and money: moto completes a snapshot at once (AWS takes minutes to hours for a first full copy of a volume), never ends a KMS key\'s waiting period or a secret\'s recovery window, and bills nothing; the teardown\'s monthly costs are list prices, not measurements.',
  'Permissions: moto checks no IAM policy of the caller, so a teardown by a role without s3:BypassGovernanceRetention (a GOVERNANCE Object Lock bucket with --delete-data) or elasticloadbalancing:ModifyLoadBalancerAttributes passes here and fails in AWS.',
  'Kubernetes: the ory stack is not deployed, so the teardown\'s destroy of it (the Ingresses before the load balancer controller, which deletes the public ALB) is not rehearsed, nor are ENIs the VPC CNI may leave behind and that block a VPC\'s deletion in AWS.',
  'Object Lock COMPLIANCE, which even force_destroy cannot lift, is not rehearsed: the rehearsal configuration has no Object Lock (moto does refuse to delete a bucket that still has object versions, as AWS does, so the state bucket\'s force_destroy is proven).',
  ...MULTI_REGION_GAPS,
];
