import { describe, expect, it } from 'vitest';
import { cockroachDsn } from '../src';
import { errorsOf, loadOryValidators } from './support/ory-schemas';
import { synthOry } from './support/synth-ory';
import { withUpstreamExamples } from './support/upstream-examples';

// The schemas are repository test data (@crdb-ory/reference-data); a missing file throws, it never skips.
const validators = loadOryValidators();

/** What each server sees at run time: the rendered config plus what the chart injects from our Secret as env vars. */
const DSN = cockroachDsn({ user: 'hydra', host: 'sql.crdb-ory.internal', port: 26257, database: 'hydra', maxConns: 10, maxConnLifetimeSeconds: 300 });
const SAMPLE_SECRET = 'x'.repeat(32);
const RUNTIME = {
  hydra: { dsn: DSN, secrets: { system: [SAMPLE_SECRET], cookie: [SAMPLE_SECRET] } },
  kratos: { dsn: DSN, secrets: { default: [SAMPLE_SECRET], cookie: [SAMPLE_SECRET], cipher: [SAMPLE_SECRET] } },
  keto: { dsn: DSN },
} as const;

type Service = keyof typeof RUNTIME;

function effectiveConfig(values: Record<string, any>, service: Service): Record<string, unknown> {
  return { ...withUpstreamExamples(values[service][service].config), ...RUNTIME[service] };
}

const variants = {
  defaults: synthOry(),
  'domain and public access': synthOry({ domain: 'example.com', publicAccessCidrs: ['203.0.113.0/24'], exposeKetoReadApi: true }),
  'options changed': synthOry({ kratosBreachedPasswordCheck: false, ketoNamespaces: ['documents', 'folders'], hydraIssuerUrl: 'https://login.example.org/' }),
};

describe("Ory's own v26.2.0 config schemas", () => {
  for (const [variant, synthesized] of Object.entries(variants)) {
    it.each(['hydra', 'kratos', 'keto'] as const)(`%s config validates (${variant})`, (service) => {
      const validate = validators[service];
      const config = effectiveConfig(synthesized.values, service);
      expect(JSON.stringify(config)).not.toContain('${');
      const valid = validate(config);
      expect(errorsOf(validate)).toBe('');
      expect(valid).toBe(true);
    });
  }

  it.each([
    ['hydra', (c: any) => ({ ...c, urls: { ...c.urls, self: { ...c.urls.self, isuer: c.urls.self.issuer } } })],
    ['kratos', (c: any) => ({ ...c, selfservice: { ...c.selfservice, flows: { ...c.selfservice.flows, registraton: {} } } })],
    ['keto', (c: any) => ({ ...c, serve: { ...c.serve, reed: { port: 4466 } } })],
  ] as const)('%s: a misspelled key fails validation', (service, misspell) => {
    const validate = validators[service];
    expect(validate(misspell(effectiveConfig(variants.defaults.values, service)))).toBe(false);
    expect(errorsOf(validate)).toMatch(/^additionalProperties .*must NOT have additional properties/m);
  });

  it("Kratos's cipher secret must be exactly 32 characters (what the stack generates)", () => {
    const config = effectiveConfig(variants.defaults.values, 'kratos');
    expect(validators.kratos({ ...config, secrets: { cipher: ['x'.repeat(31)] } })).toBe(false);
  });
});
