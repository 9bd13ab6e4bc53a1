import { ConfigError } from './errors';

/**
 * Setting fed by each output of the `cockroach` stack (names: snake_case of the keys of
 * COCKROACH_OUTPUTS). The verifier connects as the read-only verifier user; the service SQL
 * users are what each service's tables must be owned by.
 */
export const COCKROACH_OUTPUT_SETTINGS: Readonly<Record<string, string>> = {
  sql_host: 'dbHost',
  sql_port: 'dbPort',
  verifier_sql_user: 'dbUser',
  hydra_database: 'hydraDbName',
  hydra_sql_user: 'hydraTableOwner',
  kratos_database: 'kratosDbName',
  kratos_sql_user: 'kratosTableOwner',
  keto_database: 'ketoDbName',
  keto_sql_user: 'ketoTableOwner',
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
