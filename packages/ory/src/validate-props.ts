import { validateCertificateExpiryDays } from '@crdb-ory/cockroach';
import { cidrListProblems, isIpv4Cidr, parseIpv4Cidr } from '@crdb-ory/core';
import { eksApiAccessProblems } from '@crdb-ory/eks';
import { NLB_IDLE_TIMEOUT_SECONDS } from './cockroach-dsn';
import { ORY_SERVICES } from './ory-ports';
import type { OryApiClient } from './network-policies';
import type { OryStackProps } from './ory-stack';
import { publicAccessCidrLimit } from './public-ingress';
import { WORKLOAD_DEFAULTS, memoryQuantityBytes } from './workload-settings';

/**
 * Checks the props a consumer passes before anything is built. Each message names the prop,
 * the value and what is allowed; all problems are reported at once.
 */
export function validateOryStackProps(props: OryStackProps): void {
  const problems = [
    ...workloadProblems(props),
    ...memoryProblems(props),
    ...urlProblems(props),
    ...exposureProblems(props),
    ...clusterApiAccessProblems(props),
    ...ketoProblems(props),
    ...poolProblems(props),
    ...alarmProblems(props),
    ...oryApiClientProblems(props.apiClients ?? []).map((p) => problem(p.prop, p.value, p.allowed)),
  ];
  if (problems.length > 0) throw new Error(`Invalid OryStack props:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}

function problem(prop: string, value: unknown, allowed: string): string {
  return `${prop} = ${JSON.stringify(value)}: ${allowed}`;
}

function workloadProblems(props: OryStackProps): string[] {
  return ORY_SERVICES.flatMap((service) => {
    const replicas = props[service]?.replicas;
    return replicas === undefined || (Number.isInteger(replicas) && replicas >= 1)
      ? []
      : [problem(`${service}.replicas`, replicas, 'must be a whole number of at least 1 (3 spreads one per zone)')];
  });
}

/** Kubernetes refuses a pod whose memory request is above its limit. */
function memoryProblems(props: OryStackProps): string[] {
  return ORY_SERVICES.flatMap((service) => {
    const request = props[service]?.memoryRequest ?? WORKLOAD_DEFAULTS.memoryRequest;
    const limit = props[service]?.memoryLimit ?? WORKLOAD_DEFAULTS.memoryLimit;
    const requestBytes = memoryQuantityBytes(request);
    const limitBytes = memoryQuantityBytes(limit);
    if (requestBytes === undefined || limitBytes === undefined) {
      return [
        ...(requestBytes === undefined ? [problem(`${service}.memoryRequest`, request, 'must be a Kubernetes memory quantity like 256Mi or 1Gi')] : []),
        ...(limitBytes === undefined ? [problem(`${service}.memoryLimit`, limit, 'must be a Kubernetes memory quantity like 512Mi or 1Gi')] : []),
      ];
    }
    return requestBytes > limitBytes
      ? [problem(`${service}.memoryRequest`, request, `must not exceed ${service}.memoryLimit (${limit}): Kubernetes refuses a pod whose request is above its limit`)]
      : [];
  });
}

function urlProblems(props: OryStackProps): string[] {
  const urls = { hydraIssuerUrl: props.hydraIssuerUrl, kratosPublicUrl: props.kratosPublicUrl };
  return Object.entries(urls).flatMap(([prop, url]) => {
    if (url === undefined) return [];
    if (!/^https?:\/\/[^/\s]+(\/.*)?$/.test(url)) return [problem(prop, url, 'must be an http(s) URL like https://hydra.example.com/')];
    if (props.domain && !url.startsWith('https://')) return [problem(prop, url, 'must be https when a domain is set (production mode)')];
    return [];
  });
}

function exposureProblems(props: OryStackProps): string[] {
  const cidrs = props.publicAccessCidrs ?? [];
  const invalid = cidrs.flatMap((cidr, i) => {
    const parsed = parseIpv4Cidr(cidr);
    return isIpv4Cidr(parsed) ? [] : [problem(`publicAccessCidrs[${i}]`, cidr, `${parsed.error}; expected an IPv4 CIDR block like 203.0.113.0/24`)];
  });
  const duplicates = cidrListProblems(cidrs).map((p) => problem(`publicAccessCidrs[${p.index}]`, p.value, p.message));
  const keto = props.exposeKetoReadApi && cidrs.length === 0 ? [problem('exposeKetoReadApi', true, 'needs publicAccessCidrs: without them there is no public load balancer')] : [];
  const { limit, listenerPorts } = publicAccessCidrLimit(props);
  const tooMany =
    cidrs.length > limit
      ? [problem('publicAccessCidrs', `${cidrs.length} CIDRs`, `at most ${limit}: the load balancer's security group gets one rule per CIDR and listener port (${listenerPorts.join(', ')}), and a security group holds 60 inbound rules (default quota)`)]
      : [];
  return [...invalid, ...duplicates, ...keto, ...tooMany];
}

function clusterApiAccessProblems(props: OryStackProps): string[] {
  return eksApiAccessProblems(props.clusterApiAccess ?? {}).map((p) => problem(`clusterApiAccess.${p.prop}${p.index === undefined ? '' : `[${p.index}]`}`, p.value, p.message));
}

function ketoProblems(props: OryStackProps): string[] {
  const namespaces = props.ketoNamespaces;
  if (namespaces === undefined) return [];
  const problems: string[] = [];
  if (namespaces.length === 0) problems.push(problem('ketoNamespaces', namespaces, 'must list at least one namespace'));
  if (new Set(namespaces).size !== namespaces.length) problems.push(problem('ketoNamespaces', namespaces, 'must not repeat a namespace'));
  for (const name of namespaces.filter((n) => !/^[a-z][a-z0-9_-]{0,62}$/.test(n))) {
    problems.push(problem('ketoNamespaces', name, 'must be a namespace name like documents (a-z, 0-9, "_", "-")'));
  }
  return problems;
}

function poolProblems(props: OryStackProps): string[] {
  const problems: string[] = [];
  const { sqlMaxConns: conns, sqlMaxConnLifetimeSeconds: lifetime } = props;
  if (conns !== undefined && !(Number.isInteger(conns) && conns >= 1)) problems.push(problem('sqlMaxConns', conns, 'must be a whole number of at least 1'));
  if (lifetime !== undefined && !(Number.isInteger(lifetime) && lifetime >= 1 && lifetime < NLB_IDLE_TIMEOUT_SECONDS)) {
    problems.push(problem('sqlMaxConnLifetimeSeconds', lifetime, `must be whole seconds below the load balancer idle timeout (${NLB_IDLE_TIMEOUT_SECONDS})`));
  }
  return problems;
}

function alarmProblems(props: OryStackProps): string[] {
  const days = props.certificateExpiryAlarmDays;
  if (days === undefined || days === false) return [];
  try {
    validateCertificateExpiryDays('certificateExpiryAlarmDays', days);
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}

/** Kubernetes names: a namespace is a DNS-1123 label; label keys an optional DNS prefix and a name, values up to 63 characters (Kubernetes docs, "Labels and Selectors", "Object Names and IDs"). */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const LABEL_PREFIX = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** One problem with a prop (or setting): its path, its value, what is allowed. */
export interface PropProblem {
  readonly prop: string;
  readonly value: unknown;
  readonly allowed: string;
}

/** What is wrong with `apiClients`, each problem under `<setting>[i]...`. */
export function oryApiClientProblems(clients: readonly OryApiClient[], setting = 'apiClients'): PropProblem[] {
  return clients.flatMap((client, i) => {
    const at = `${setting}[${i}]`;
    const problems: PropProblem[] = [];
    if (!DNS_LABEL.test(client.namespace)) problems.push({ prop: `${at}.namespace`, value: client.namespace, allowed: 'must be a Kubernetes namespace name (a DNS-1123 label: a-z, 0-9 and "-", at most 63)' });
    for (const [key, value] of Object.entries(client.podLabels ?? {})) {
      const [prefix, name] = key.includes('/') ? [key.slice(0, key.lastIndexOf('/')), key.slice(key.lastIndexOf('/') + 1)] : [undefined, key];
      if (!LABEL_NAME.test(name) || (prefix !== undefined && !LABEL_PREFIX.test(prefix))) problems.push({ prop: `${at}.podLabels`, value: key, allowed: 'keys must be Kubernetes label keys ([prefix/]name)' });
      if (value !== '' && !LABEL_NAME.test(value)) problems.push({ prop: `${at}.podLabels["${key}"]`, value, allowed: 'must be a Kubernetes label value (at most 63 of A-Z, a-z, 0-9, "-", "_", ".")' });
    }
    return problems;
  });
}
