import type { SynthesizedStackJson } from '@crdb-ory/core';
import { parse } from 'yaml';
import { ALB_ANNOTATION_PREFIX } from './public-ingress';
import { ORY_PRIVILEGED_PORTS, ORY_SERVICES } from './ory-ports';

/** A breach of the rule "no Ory admin or write port behind an internet-facing load balancer". */
export interface ExposureViolation {
  /** Terraform address of the offending resource. */
  readonly address: string;
  readonly message: string;
}

/** The chart services that carry an admin or write API, per chart. */
const PRIVILEGED_CHART_SERVICES: Record<string, readonly string[]> = { hydra: ['admin'], kratos: ['admin'], keto: ['write'] };
const PRIVILEGED_SERVICE_NAME = /-(admin|write)$/;

/** The part of an Ory chart's values this rule reads. */
interface ChartExposureValues {
  readonly service?: Record<string, { readonly type?: string } | undefined>;
  readonly ingress?: Record<string, { readonly enabled?: boolean } | undefined>;
}

/**
 * Policy rule over a synthesized stack: no internet-facing Ingress may route to an Ory admin or
 * write port, and no Ory release may give its admin or write Service a type other than
 * ClusterIP or enable the chart's own admin or write Ingress.
 */
export function findOryExposureViolations(stack: SynthesizedStackJson): ExposureViolation[] {
  return [...ingressViolations(stack), ...releaseViolations(stack)];
}

function ingressViolations(stack: SynthesizedStackJson): ExposureViolation[] {
  const ingresses = stack.resource?.['kubernetes_ingress_v1'] ?? {};
  return Object.entries(ingresses).flatMap(([name, ingress]) => {
    const annotations = ((ingress['metadata'] as Record<string, unknown> | undefined)?.['annotations'] ?? {}) as Record<string, string>;
    if (annotations[`${ALB_ANNOTATION_PREFIX}/scheme`] !== 'internet-facing') return [];
    return ingressBackends(ingress)
      .filter((backend) => ORY_PRIVILEGED_PORTS.includes(backend.port) || PRIVILEGED_SERVICE_NAME.test(backend.service))
      .map((backend) => ({
        address: `kubernetes_ingress_v1.${name}`,
        message: `internet-facing Ingress routes to ${backend.service}:${backend.port}, an Ory admin or write API`,
      }));
  });
}

function ingressBackends(ingress: Record<string, unknown>): Array<{ service: string; port: number }> {
  const spec = (ingress['spec'] ?? {}) as { rule?: Array<{ http?: { path?: Array<{ backend?: unknown }> } }>; default_backend?: unknown };
  const backends = [spec.default_backend, ...(spec.rule ?? []).flatMap((rule) => (rule.http?.path ?? []).map((path) => path.backend))];
  return backends.flatMap((backend) => {
    const service = (backend as { service?: { name?: string; port?: { number?: number } } } | undefined)?.service;
    return service ? [{ service: service.name ?? '', port: service.port?.number ?? 0 }] : [];
  });
}

function releaseViolations(stack: SynthesizedStackJson): ExposureViolation[] {
  const releases = stack.resource?.['helm_release'] ?? {};
  return Object.entries(releases).flatMap(([name, release]) => {
    const chart = String(release['chart'] ?? '');
    if (!ORY_SERVICES.includes(chart as never)) return [];
    const values = ((release['values'] as string[] | undefined) ?? []).map((text) => (parse(text) ?? {}) as ChartExposureValues);
    return (PRIVILEGED_CHART_SERVICES[chart] ?? []).flatMap((component) =>
      values.flatMap((value) => {
        const problems: string[] = [];
        const type = value.service?.[component]?.type;
        if (type !== undefined && type !== 'ClusterIP') problems.push(`service.${component}.type is ${type}; it must stay ClusterIP`);
        if (value.ingress?.[component]?.enabled === true) problems.push(`ingress.${component} is enabled; the ${component} API must stay cluster-internal`);
        return problems.map((message) => ({ address: `helm_release.${name}`, message }));
      }),
    );
  });
}
