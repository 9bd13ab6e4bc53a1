import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const SCHEMA_DIR_ENV = 'ORY_CONFIG_SCHEMAS_DIR';
const SCHEMA_SUBDIR = join('shared', 'ory', 'config-schemas-v26.2.0');

/**
 * Ory's v26.2.0 config schemas: `$ORY_CONFIG_SCHEMAS_DIR`, else the first `shared/ory/...` found
 * walking up from this package (CI keeps `shared/` beside the repository). Throws when absent,
 * so the schema tests fail instead of silently passing.
 */
export function findOrySchemaDir(start = __dirname, env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env[SCHEMA_DIR_ENV];
  if (explicit) {
    if (!existsSync(join(explicit, 'hydra.config.schema.json'))) throw new Error(`${SCHEMA_DIR_ENV}=${explicit} holds no hydra.config.schema.json`);
    return explicit;
  }
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const candidate = join(dir, SCHEMA_SUBDIR);
    if (existsSync(join(candidate, 'hydra.config.schema.json'))) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new Error(`Ory config schemas not found: no ${SCHEMA_SUBDIR} above ${start}; set ${SCHEMA_DIR_ENV}.`);
}

/** A validator per service, with the shared `ory://` schemas registered first (see shared/ory/README.md). */
export function loadOryValidators(dir = findOrySchemaDir()): Record<'hydra' | 'kratos' | 'keto', ValidateFunction> {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const refs = join(dir, 'refs');
  for (const file of readdirSync(refs).filter((name) => name.endsWith('.json'))) {
    ajv.addSchema(JSON.parse(readFileSync(join(refs, file), 'utf8')));
  }
  const compile = (service: string) => ajv.compile(JSON.parse(readFileSync(join(dir, `${service}.config.schema.json`), 'utf8')));
  return { hydra: compile('hydra'), kratos: compile('kratos'), keto: compile('keto') };
}

export function errorsOf(validate: ValidateFunction): string {
  return (validate.errors ?? []).map((e) => `${e.keyword} ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`).join('\n');
}
