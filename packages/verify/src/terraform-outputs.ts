// The cockroach stack's contract from its cdktf-free module: the package index would load cdktf
// and the AWS provider at start-up (~0.4 s and +30 MB measured, for a CLI that needs none of it).
import { COCKROACH_OUTPUTS } from '@crdb-ory/cockroach/outputs';
import { terraformOutputName } from '@crdb-ory/core/contract';
import { ConfigError } from './errors';

type CockroachOutputKey = keyof typeof COCKROACH_OUTPUTS.outputs;

/**
 * The setting each output of the `cockroach` stack feeds, by contract key (the Terraform output
 * name is derived from the contract, never retyped). The verifier connects as the read-only
 * verifier user; the service SQL users are what each service's tables must be owned by.
 */
const SETTING_OF_OUTPUT: Partial<Record<CockroachOutputKey, string>> = {
  sqlHost: 'dbHost',
  sqlPort: 'dbPort',
  verifierSqlUser: 'dbUser',
  hydraDatabase: 'hydraDbName',
  hydraSqlUser: 'hydraTableOwner',
  kratosDatabase: 'kratosDbName',
  kratosSqlUser: 'kratosTableOwner',
  ketoDatabase: 'ketoDbName',
  ketoSqlUser: 'ketoTableOwner',
  backupBucketName: 'backupBucketName',
  backupScheduleLabel: 'backupScheduleLabel',
};

/** Setting fed by each Terraform output name of the `cockroach` stack (`sql_host` -> `dbHost`). */
export const COCKROACH_OUTPUT_SETTINGS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(SETTING_OF_OUTPUT).map(([key, setting]) => [terraformOutputName(key), setting as string])),
};

/** The file name looked for when `--terraform-outputs` is a directory. */
export const COCKROACH_OUTPUTS_FILE = 'cockroach.json';

/**
 * Settings from the text of `terraform output -json` of the cockroach stack
 * (`{"sql_host": {"value": "...", "type": "string", "sensitive": false}, ...}`).
 * Outputs the verifier does not use are ignored; a wrong shape is a ConfigError.
 */
export function settingsFromTerraformOutputs(text: string, file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Terraform outputs ${file} is not JSON (${(error as Error).message}); allowed: the output of \`terraform output -json\` of the cockroach stack.`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`Terraform outputs ${file} has value ${JSON.stringify(parsed)}; allowed: an object as printed by \`terraform output -json\`.`);
  }
  const settings: Record<string, unknown> = {};
  for (const [output, setting] of Object.entries(COCKROACH_OUTPUT_SETTINGS)) {
    const entry = (parsed as Record<string, unknown>)[output];
    if (entry === undefined) continue;
    if (!entry || typeof entry !== 'object' || !('value' in entry)) {
      throw new ConfigError(`Terraform output "${output}" in ${file} has value ${JSON.stringify(entry)}; allowed: {"value": ...} as printed by \`terraform output -json\`.`);
    }
    settings[setting] = (entry as { value: unknown }).value;
  }
  if (Object.keys(settings).length === 0) {
    throw new ConfigError(`Terraform outputs ${file} has none of ${Object.keys(COCKROACH_OUTPUT_SETTINGS).join(', ')}; is it the cockroach stack's \`terraform output -json\`?`);
  }
  return settings;
}
