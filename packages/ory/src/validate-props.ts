import { certificateExpiryDaysProblems } from '@crdb-ory/cockroach';
import { PropProblem, cidrListProblems, isIpv4Cidr, parseIpv4Cidr, throwIfProblems } from '@crdb-ory/core';
import { eksApiAccessProblems } from '@crdb-ory/eks';
import { NLB_IDLE_TIMEOUT_SECONDS, ORY_SQL_POOL_LIMITS } from './cockroach-dsn';
import { ORY_STACK_NAME } from './ory-outputs';
import { ORY_SERVICES } from './ory-ports';
import type { OryApiClient } from './network-policies';
import type { OryStackProps } from './ory-stack';
import { publicAccessCidrLimit } from './public-ingress';
import { ORY_REPLICA_LIMITS, WORKLOAD_DEFAULTS, memoryQuantityBytes } from './workload-settings';

/**
 * Every rule of the `OryStack` props, in one place: each returns the problems as
 * `{prop, value, message}` in the props' terms. The stack throws them all at once
 * ({@link validateOryStackProps}); the app runs the rules its schema does not already cover and
 * maps each prop to its setting path.
 */
export function oryStackPropProblems(props: OryStackProps): PropProblem[] {
  return [
    ...oryWorkloadProblems(props),
    ...oryMemoryProblems(props),
    ...oryUrlProblems(props),
    ...publicAccessCidrProblems(props),
    ...oryPublicExposureProblems(props),
    ...clusterApiAccessProblems(props),
    ...ketoNamespaceProblems(props),
    ...oryPoolProblems(props),
    ...alarmProblems(props),
    ...oryApiClientProblems(props.apiClients ?? []),
    ...oryRegionProblems(props),
  ];
}

/**
 * Checks the props a consumer passes before anything is built: a `ValidationError` naming the
 * stack's path, each prop, its value and what is allowed; all problems at once.
 */
export function validateOryStackProps(props: OryStackProps, path = ORY_STACK_NAME): void {
  throwIfProblems(path, oryStackPropProblems(props));
}

export function oryWorkloadProblems(props: Pick<OryStackProps, 'hydra' | 'kratos' | 'keto'>): PropProblem[] {
  return ORY_SERVICES.flatMap((service) => {
    const replicas = props[service]?.replicas;
    const { min, max } = ORY_REPLICA_LIMITS;
    return replicas === undefined || (Number.isInteger(replicas) && replicas >= min && replicas <= max)
      ? []
      : [{ prop: `${service}.replicas`, value: replicas, message: `must be a whole number from ${min} to ${max} (3 spreads one per zone)` }];
  });
}

/** Kubernetes refuses a pod whose memory request is above its limit. */
export function oryMemoryProblems(props: Pick<OryStackProps, 'hydra' | 'kratos' | 'keto'>): PropProblem[] {
  return ORY_SERVICES.flatMap((service) => {
    const request = props[service]?.memoryRequest ?? WORKLOAD_DEFAULTS.memoryRequest;
    const limit = props[service]?.memoryLimit ?? WORKLOAD_DEFAULTS.memoryLimit;
    const requestBytes = memoryQuantityBytes(request);
    const limitBytes = memoryQuantityBytes(limit);
    if (requestBytes === undefined || limitBytes === undefined) {
      return [
        ...(requestBytes === undefined ? [{ prop: `${service}.memoryRequest`, value: request, message: 'must be a Kubernetes memory quantity like 256Mi or 1Gi' }] : []),
        ...(limitBytes === undefined ? [{ prop: `${service}.memoryLimit`, value: limit, message: 'must be a Kubernetes memory quantity like 512Mi or 1Gi' }] : []),
      ];
    }
    return requestBytes > limitBytes
      ? [{ prop: `${service}.memoryRequest`, value: request, message: `must not exceed ${service}.memoryLimit (${limit}): Kubernetes refuses a pod whose memory request is above its limit` }]
      : [];
  });
}

/** URLs of the public APIs; with a domain Ory runs in production mode, where Hydra refuses a non-https issuer. */
export function oryUrlProblems(props: Pick<OryStackProps, 'hydraIssuerUrl' | 'kratosPublicUrl' | 'domain'>): PropProblem[] {
  const urls = { hydraIssuerUrl: props.hydraIssuerUrl, kratosPublicUrl: props.kratosPublicUrl };
  return Object.entries(urls).flatMap(([prop, url]) => {
    if (url === undefined) return [];
    if (!/^https?:\/\/[^/\s]+(\/.*)?$/.test(url)) return [{ prop, value: url, message: 'must be an http(s) URL like https://hydra.example.com/' }];
    if (props.domain && !url.startsWith('https://')) return [{ prop, value: url, message: 'must be an https URL when domain is set (production mode); http is only allowed without a domain' }];
    return [];
  });
}

/** Each entry of `publicAccessCidrs` an IPv4 CIDR block, none twice. */
function publicAccessCidrProblems(props: Pick<OryStackProps, 'publicAccessCidrs'>): PropProblem[] {
  const cidrs = props.publicAccessCidrs ?? [];
  const invalid = cidrs.flatMap((cidr, i) => {
    const parsed = parseIpv4Cidr(cidr);
    return isIpv4Cidr(parsed) ? [] : [{ prop: `publicAccessCidrs[${i}]`, value: cidr, message: `${parsed.error}; expected an IPv4 CIDR block like 203.0.113.0/24` }];
  });
  return [...invalid, ...cidrListProblems(cidrs).map((p) => ({ prop: `publicAccessCidrs[${p.index}]`, value: p.value, message: p.message }))];
}

/** The public load balancer: Keto's read API needs one, and its security group holds 60 rules (one per CIDR and listener port). */
export function oryPublicExposureProblems(props: Pick<OryStackProps, 'publicAccessCidrs' | 'exposeKetoReadApi' | 'domain'>): PropProblem[] {
  const cidrs = props.publicAccessCidrs ?? [];
  const problems: PropProblem[] = [];
  if (props.exposeKetoReadApi && cidrs.length === 0) {
    problems.push({ prop: 'exposeKetoReadApi', value: true, message: 'publishes through the public load balancer, which exists only when publicAccessCidrs lists at least one CIDR' });
  }
  const { limit, listenerPorts } = publicAccessCidrLimit(props);
  if (cidrs.length > limit) {
    problems.push({
      prop: 'publicAccessCidrs',
      value: `${cidrs.length} CIDRs`,
      message: `must list at most ${limit} CIDRs: the public load balancer's security group gets one rule per CIDR and listener port (${listenerPorts.join(', ')}) and holds 60 inbound rules (default quota); summarize them into fewer blocks`,
    });
  }
  return problems;
}

function clusterApiAccessProblems(props: OryStackProps): PropProblem[] {
  return eksApiAccessProblems(props.clusterApiAccess ?? {}).map((p) => ({ ...p, prop: `clusterApiAccess.${p.prop}` }));
}

/** Keto's namespaces: at least one, each a namespace name, none twice. */
export function ketoNamespaceProblems(props: Pick<OryStackProps, 'ketoNamespaces'>): PropProblem[] {
  const namespaces = props.ketoNamespaces;
  if (namespaces === undefined) return [];
  const problems: PropProblem[] = [];
  if (namespaces.length === 0) problems.push({ prop: 'ketoNamespaces', value: namespaces, message: 'must list at least one namespace' });
  if (new Set(namespaces).size !== namespaces.length) problems.push({ prop: 'ketoNamespaces', value: namespaces, message: 'must not repeat a namespace' });
  for (const name of namespaces.filter((n) => !/^[a-z][a-z0-9_-]{0,62}$/.test(n))) {
    problems.push({ prop: 'ketoNamespaces', value: name, message: 'must be a namespace name like documents (a-z, 0-9, "_", "-")' });
  }
  return problems;
}

/** Ory's SQL connection pool: a pooled connection must be recycled before the load balancer's idle timeout cuts it. */
export function oryPoolProblems(props: Pick<OryStackProps, 'sqlMaxConns' | 'sqlMaxConnLifetimeSeconds'>): PropProblem[] {
  const problems: PropProblem[] = [];
  const { sqlMaxConns: conns, sqlMaxConnLifetimeSeconds: lifetime } = props;
  const { maxConns, maxConnLifetimeSeconds } = ORY_SQL_POOL_LIMITS;
  if (conns !== undefined && !(Number.isInteger(conns) && conns >= maxConns.min && conns <= maxConns.max)) {
    problems.push({ prop: 'sqlMaxConns', value: conns, message: `must be a whole number from ${maxConns.min} to ${maxConns.max} (connections per pod)` });
  }
  if (lifetime !== undefined && !(Number.isInteger(lifetime) && lifetime >= maxConnLifetimeSeconds.min && lifetime <= maxConnLifetimeSeconds.max)) {
    problems.push({
      prop: 'sqlMaxConnLifetimeSeconds',
      value: lifetime,
      message: `must be whole seconds from ${maxConnLifetimeSeconds.min} to ${maxConnLifetimeSeconds.max}: below the load balancer idle timeout (${NLB_IDLE_TIMEOUT_SECONDS})`,
    });
  }
  return problems;
}

/** The name an Ory stack takes from its props: `stackNames.ory`, else ORY_STACK_NAME. */
function oryStackNameOf(props: Pick<OryStackProps, 'stackNames'>): string {
  return props.stackNames?.[ORY_STACK_NAME] ?? ORY_STACK_NAME;
}

/** A stack name (its state key): what cdktf and the state bucket accept, and readable. */
const STACK_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * The props of a region's Ory stack in a multi-region app: stack names; a region that waits for
 * another's migrations shares that region's database, so it must share its secrets too (Hydra
 * encrypts rows with its system secret: with its own, it could not read the primary's).
 */
export function oryRegionProblems(props: Pick<OryStackProps, 'stackNames' | 'migrationsRunBy' | 'sharedSecrets'>): PropProblem[] {
  const own = oryStackNameOf(props);
  const problems: PropProblem[] = [];
  const names: Record<string, string | undefined> = {
    ...Object.fromEntries(Object.entries(props.stackNames ?? {}).map(([stack, name]) => [`stackNames.${stack}`, name])),
    migrationsRunBy: props.migrationsRunBy,
    'sharedSecrets.stackName': props.sharedSecrets?.stackName,
  };
  for (const [prop, name] of Object.entries(names)) {
    if (name !== undefined && !STACK_NAME.test(name)) problems.push({ prop, value: name, message: 'must be a stack name: a-z first, then a-z, 0-9 and "-", at most 63 characters' });
  }
  if (props.migrationsRunBy === own) problems.push({ prop: 'migrationsRunBy', value: props.migrationsRunBy, message: 'names this stack itself; leave it unset in the region that runs the migrations' });
  if (props.sharedSecrets?.stackName === own) problems.push({ prop: 'sharedSecrets.stackName', value: own, message: 'names this stack itself; the shared secrets live in a stack every region reads (in the primary region)' });
  if (props.sharedSecrets && props.sharedSecrets.secretName.trim() === '') problems.push({ prop: 'sharedSecrets.secretName', value: props.sharedSecrets.secretName, message: 'must name the Secrets Manager secret OrySharedSecrets creates' });
  if (props.migrationsRunBy !== undefined && !props.sharedSecrets) {
    problems.push({
      prop: 'sharedSecrets',
      value: undefined,
      message: `must be set when migrationsRunBy is: this region shares ${props.migrationsRunBy}'s database, and tokens, cookies and encrypted rows only verify with the same secrets (OrySharedSecrets)`,
    });
  }
  return problems;
}

/**
 * Across the regions' Ory stacks of one app: exactly one runs the migrations (no
 * `migrationsRunBy`), and every other names that one. Problems under `[i].<prop>`, `i` the position
 * in `stacks`; the app maps them to its settings.
 */
export function oryMigrationRegionProblems(stacks: ReadonlyArray<Pick<OryStackProps, 'stackNames' | 'migrationsRunBy'>>): PropProblem[] {
  const runners = stacks.flatMap((stack, i) => (stack.migrationsRunBy === undefined ? [{ i, name: oryStackNameOf(stack) }] : []));
  const [runner] = runners;
  if (runners.length !== 1 || !runner) {
    return [{ prop: 'migrationsRunBy', value: runners.map((r) => r.name), message: `exactly one region's Ory stack must run the migrations (migrationsRunBy unset); ${runners.length} do` }];
  }
  return stacks.flatMap((stack, i) =>
    stack.migrationsRunBy !== undefined && stack.migrationsRunBy !== runner.name
      ? [{ prop: `[${i}].migrationsRunBy`, value: stack.migrationsRunBy, message: `must name the stack that runs the migrations, ${runner.name}` }]
      : [],
  );
}

function alarmProblems(props: OryStackProps): PropProblem[] {
  const days = props.certificateExpiryAlarmDays;
  return days === undefined || days === false ? [] : certificateExpiryDaysProblems('certificateExpiryAlarmDays', days);
}

/** Kubernetes names: a namespace is a DNS-1123 label; label keys an optional DNS prefix and a name, values up to 63 characters (Kubernetes docs, "Labels and Selectors", "Object Names and IDs"). */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const LABEL_PREFIX = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** What is wrong with `apiClients`, each problem under `<setting>[i]...`. */
export function oryApiClientProblems(clients: readonly OryApiClient[], setting = 'apiClients'): PropProblem[] {
  return clients.flatMap((client, i) => {
    const at = `${setting}[${i}]`;
    const problems: PropProblem[] = [];
    if (!DNS_LABEL.test(client.namespace)) problems.push({ prop: `${at}.namespace`, value: client.namespace, message: 'must be a Kubernetes namespace name (a DNS-1123 label: a-z, 0-9 and "-", at most 63)' });
    for (const [key, value] of Object.entries(client.podLabels ?? {})) {
      const [prefix, name] = key.includes('/') ? [key.slice(0, key.lastIndexOf('/')), key.slice(key.lastIndexOf('/') + 1)] : [undefined, key];
      if (!LABEL_NAME.test(name) || (prefix !== undefined && !LABEL_PREFIX.test(prefix))) problems.push({ prop: `${at}.podLabels`, value: key, message: 'keys must be Kubernetes label keys ([prefix/]name)' });
      if (value !== '' && !LABEL_NAME.test(value)) problems.push({ prop: `${at}.podLabels["${key}"]`, value, message: 'must be a Kubernetes label value (at most 63 of A-Z, a-z, 0-9, "-", "_", ".")' });
    }
    return problems;
  });
}
