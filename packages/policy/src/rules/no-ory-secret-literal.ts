import { resourceRule, type ResourceTest } from '../declare-rule';
import { helmValues } from '../helm-values';
import { isObject } from '../values';

/** Ory secrets: `secrets.system|cookie|default|cipher` in config, `secretsSystem`-style keys in chart Secrets. */
const ORY_SECRET_PATH = /(^|\.)secrets\.(system|cookie|default|cipher|pagination)(\.|$)/i;
const ORY_SECRET_KEY = /^secrets(System|Cookie|Default|Cipher|Pagination)$/;

const inHelmRelease: ResourceTest = (release) =>
  helmValues(release)
    .leaves.filter((leaf) => ORY_SECRET_PATH.test(leaf.path.join('.')) || ORY_SECRET_KEY.test(leaf.path[leaf.path.length - 1] ?? ''))
    .filter((leaf) => isLiteral(leaf.value))
    .map((leaf) => `Ory secret ${leaf.path.join('.')} is a literal in the release's ${leaf.origin}`);

const inKubernetesSecret: ResourceTest = (secret) =>
  ['data', 'string_data', 'binary_data'].flatMap((field) => {
    const data = secret.config[field];
    if (!isObject(data)) return [];
    return Object.entries(data)
      .filter(([key, value]) => ORY_SECRET_KEY.test(key) && isLiteral(value))
      .map(([key]) => `Ory secret ${field}.${key} is a literal`);
  });

/** CRDB-SECRET-003: no Ory secret value written literally (Helm values, `set`, Kubernetes Secrets). */
export const NO_ORY_SECRET_LITERAL = resourceRule({
  id: 'CRDB-SECRET-003',
  description: 'No Ory secret (secrets.system, secrets.cookie, secrets.default, secrets.cipher) as a literal in Helm values or Kubernetes Secrets.',
  fix: 'generate the secret (random_password) and pass it by reference, in a Kubernetes Secret the chart reads (secret.enabled=false, secret.nameOverride)',
  test: { helm_release: inHelmRelease, kubernetes_secret: inKubernetesSecret, kubernetes_secret_v1: inKubernetesSecret },
});

function isLiteral(value: unknown): boolean {
  return typeof value === 'string' ? value.length > 0 && !value.includes('${') : typeof value === 'number';
}
