import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { OryService, oryConfigSchemaDir } from './ory-reference';

/**
 * A validator per service for the config file its server reads, compiled from Ory's own
 * schemas with the shared `ory://` schemas registered first, as the servers do. Unknown keys
 * fail in many places (`additionalProperties: false`), so a misspelled key fails a test.
 */
export function loadOryConfigValidators(dir = oryConfigSchemaDir()): Record<OryService, ValidateFunction> {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const refs = join(dir, 'refs');
  for (const file of readdirSync(refs).filter((name) => name.endsWith('.json'))) {
    ajv.addSchema(JSON.parse(readFileSync(join(refs, file), 'utf8')));
  }
  const compile = (service: OryService) => ajv.compile(JSON.parse(readFileSync(join(dir, `${service}.config.schema.json`), 'utf8')));
  return { hydra: compile('hydra'), kratos: compile('kratos'), keto: compile('keto') };
}

/** The validator's last errors, one line each; empty when it passed. */
export function validationErrors(validate: ValidateFunction): string {
  return (validate.errors ?? []).map((e) => `${e.keyword} ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`).join('\n');
}
