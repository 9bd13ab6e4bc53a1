import { isIpv4Cidr, parseIpv4Cidr } from '@crdb-ory/core';
import { NLB_IDLE_TIMEOUT_SECONDS } from './cockroach-dsn';
import { ORY_SERVICES } from './ory-ports';
import type { OryStackProps } from './ory-stack';

/**
 * Checks the props a consumer passes before anything is built. Each message names the prop,
 * the value and what is allowed; all problems are reported at once.
 */
export function validateOryStackProps(props: OryStackProps): void {
  const problems = [...workloadProblems(props), ...urlProblems(props), ...exposureProblems(props), ...ketoProblems(props), ...poolProblems(props)];
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
  const keto = props.exposeKetoReadApi && cidrs.length === 0 ? [problem('exposeKetoReadApi', true, 'needs publicAccessCidrs: without them there is no public load balancer')] : [];
  return [...invalid, ...keto];
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
