/**
 * What the emulator cannot prove, because moto does not model it and nothing the rehearsal does
 * depends on it: a reader of the report must know where moto is more lenient than AWS.
 */
export const UNHANDLED_GAPS: readonly string[] = [
  'Nothing runs on the instances: moto records them but boots nothing, so user data, the bootstrap, the backup schedule and the alarms\' metrics are not exercised here (the cockroach tests run the scripts against stubs).',
  'Time and money: moto completes a snapshot at once (AWS takes minutes to hours for a first full copy of a volume), never ends a KMS key\'s waiting period or a secret\'s recovery window, and bills nothing; the teardown\'s monthly costs are list prices, not measurements.',
  'Permissions: moto checks no IAM policy of the caller, so a teardown by a role without s3:BypassGovernanceRetention (a GOVERNANCE Object Lock bucket with --delete-data) or elasticloadbalancing:ModifyLoadBalancerAttributes passes here and fails in AWS.',
  'Kubernetes: the ory stack is not deployed, so the teardown\'s destroy of it (the Ingresses before the load balancer controller, which deletes the public ALB) is not rehearsed, nor are ENIs the VPC CNI may leave behind and that block a VPC\'s deletion in AWS.',
  'Object Lock COMPLIANCE, which even force_destroy cannot lift, is not rehearsed: the rehearsal configuration has no Object Lock (moto does refuse to delete a bucket that still has object versions, as AWS does, so the state bucket\'s force_destroy is proven).',
];
