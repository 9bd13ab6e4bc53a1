import { GO_RUNTIME_ENV } from '@crdb-ory/terraform-harness';

/** A synthesized stack (`cdk.tf.json`), as far as the rehearsal reads it. */
// Justified: a synthesized stack's JSON is walked here by Terraform block and attribute names that
// differ per resource type; typing it needs the one Terraform JSON module of issue 23 (item 1).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type StackJson = Record<string, any>;

/** AWS services the stacks call, by the aws provider's `endpoints` keys. */
export const EMULATED_SERVICES = ['autoscaling', 'cloudwatch', 'ec2', 'eks', 'elbv2', 'iam', 'kms', 'logs', 'route53', 's3', 'secretsmanager', 'servicequotas', 'sns', 'ssm', 'sts'] as const;

/**
 * Credentials and settings every terraform run against the emulator gets. The real AWS
 * configuration of the machine (profiles, shared files, instance metadata) is cut off, so a
 * rehearsal can never reach a real account. With the repository's `GO_RUNTIME_ENV` (terraform-harness).
 */
export function emulatorEnv(caBundle: string): Readonly<Record<string, string | undefined>> {
  return { ...EMULATOR_ENV, ...GO_RUNTIME_ENV, AWS_CA_BUNDLE: caBundle };
}

const EMULATOR_ENV: Readonly<Record<string, string | undefined>> = {
  AWS_ACCESS_KEY_ID: 'rehearsal',
  AWS_SECRET_ACCESS_KEY: 'rehearsal',
  AWS_SESSION_TOKEN: undefined,
  AWS_PROFILE: undefined,
  AWS_DEFAULT_PROFILE: undefined,
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_EC2_METADATA_DISABLED: 'true',
};

/**
 * Override files (`*_override.tf.json`) that point a stack's aws provider, its S3 backend and
 * its remote-state reads at the emulator. Terraform merges them over the synthesized file, which
 * stays as it was synthesized. A local backend (the state stack's) keeps its state in the
 * scratch folder.
 */
export function emulatorOverrides(stack: StackJson, endpoint: string): Record<string, StackJson> {
  const files: Record<string, StackJson> = { 'emulator_provider_override.tf.json': { provider: { aws: providerOverrides(stack, endpoint) } } };
  const backend = stack['terraform']?.['backend'] ?? {};
  if (backend['s3']) files['emulator_backend_override.tf.json'] = { terraform: { backend: { s3: { ...backend['s3'], ...s3ClientSettings(endpoint) } } } };
  else if (backend['local']) files['emulator_backend_override.tf.json'] = { terraform: { backend: { local: { path: 'terraform.tfstate' } } } };
  const remoteStates = stack['data']?.['terraform_remote_state'] ?? {};
  const reads = Object.fromEntries(
    Object.entries<StackJson>(remoteStates).map(([name, read]) => {
      if (read['backend'] !== 's3') throw new Error(`remote state ${name} reads a ${read['backend']} backend: the rehearsal emulates S3 only (set stateBackend.type to s3)`);
      return [name, { config: { ...read['config'], ...s3ClientSettings(endpoint) } }];
    }),
  );
  if (Object.keys(reads).length > 0) files['emulator_remote_state_override.tf.json'] = { data: { terraform_remote_state: reads } };
  return files;
}

function providerOverrides(stack: StackJson, endpoint: string): StackJson[] {
  const blocks: StackJson[] = stack['provider']?.['aws'] ?? [];
  if (blocks.length === 0) throw new Error('the stack configures no aws provider');
  return blocks.map((block) => ({
    ...(block['alias'] ? { alias: block['alias'] } : {}),
    endpoints: [Object.fromEntries(EMULATED_SERVICES.map((service) => [service, endpoint]))],
    s3_use_path_style: true,
    skip_metadata_api_check: 'true',
  }));
}

function s3ClientSettings(endpoint: string): StackJson {
  return { endpoints: { s3: endpoint, sts: endpoint, iam: endpoint }, use_path_style: true };
}
