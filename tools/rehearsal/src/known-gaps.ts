/**
 * Emulator gaps the rehearsal does not work around, because nothing it does depends on them,
 * but that a reader of the report must know: where moto is more lenient than AWS.
 */
export const UNHANDLED_GAPS: readonly string[] = [
  'Deletion protection: moto does not enforce it on load balancers, so the NLB (deletion protection on by default) destroys here; in AWS `cdktf destroy cockroach` fails until loadBalancerDeletionProtection is turned off and applied.',
  'Nothing runs on the instances: moto records them but boots nothing, so user data, the bootstrap, the backup schedule and the alarms\' metrics are not exercised here (the cockroach tests run the scripts against stubs).',
];

/** What the harness itself does that an operator would do by hand. */
export const OPERATOR_STEPS: readonly string[] = [
  'The state bucket is emptied (every object version and delete marker) before the state stack is destroyed: it has forceDestroy off on purpose, so AWS and moto both refuse to delete it while it holds state.',
];
