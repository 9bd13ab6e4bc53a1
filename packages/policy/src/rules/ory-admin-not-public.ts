import { HelmValue, helmValues } from '../helm-values';
import { resourceRule, type ResourceTest } from '../declare-rule';
import type { ResourceEntry } from '../stack-document';
import { blocks, firstBlock, isObject, isTrue, show } from '../values';

/** Hydra admin, Kratos admin, Keto write. */
export const ORY_ADMIN_PORTS: readonly number[] = [4445, 4434, 4467];
/** The admin surface of each Ory chart: the service and ingress keys that expose it. */
const ADMIN_SURFACE: Record<string, string> = { hydra: 'admin', kratos: 'admin', keto: 'write' };
/** Ory charts name admin services `<fullname>-admin` (Hydra, Kratos) and `<fullname>-write` (Keto). */
const ADMIN_SERVICE_NAME = /-(admin|write)$/;
const LB_SCHEME = 'service.beta.kubernetes.io/aws-load-balancer-scheme';
const LB_INTERNAL = 'service.beta.kubernetes.io/aws-load-balancer-internal';
const ALB_SCHEME = 'alb.ingress.kubernetes.io/scheme';

const service: ResourceTest = (entry) => {
  const spec = firstBlock(entry.config['spec']);
  if (spec?.['type'] !== 'LoadBalancer' || isInternal(annotationsOf(entry), [LB_SCHEME, LB_INTERNAL])) return undefined;
  const exposed = blocks(spec['port']).filter((port) => isAdminPort(port['port']) || isAdminPort(port['target_port']));
  return exposed.map((port) => `LoadBalancer service not marked internal exposes Ory admin port ${show(port['port'])}`);
};

const ingress: ResourceTest = (entry) => {
  if (isInternal(annotationsOf(entry), [ALB_SCHEME])) return undefined;
  const spec = firstBlock(entry.config['spec']);
  const backends = [
    ...blocks(spec?.['default_backend']),
    ...blocks(spec?.['rule']).flatMap((rule) => blocks(firstBlock(rule['http'])?.['path']).flatMap((path) => blocks(path['backend']))),
  ];
  return backends
    .map((backend) => firstBlock(backend['service']))
    .filter((target) => target && (isAdminPort(firstBlock(target['port'])?.['number']) || ADMIN_SERVICE_NAME.test(String(target['name'] ?? ''))))
    .map((target) => `ingress not marked internal routes to Ory admin service ${show(target?.['name'])}`);
};

const helmRelease: ResourceTest = (release) => {
  const surface = oryAdminSurface(release);
  if (!surface) return undefined;
  const values = helmValues(release);
  if (values.unreadable.length > 0) {
    return { message: `values ${show(values.unreadable[0])} cannot be read at synthesis, so the admin service and ingress cannot be checked`, fix: 'pass values as a YAML/JSON string (references inside it are fine), not a single Terraform expression' };
  }
  const found: string[] = [];
  if (valueAt(values.leaves, ['service', surface, 'type']) === 'LoadBalancer' && !helmInternal(values.leaves, ['service', surface, 'annotations'], [LB_SCHEME, LB_INTERNAL])) {
    found.push(`service.${surface}.type is LoadBalancer without an internal scheme annotation`);
  }
  if (isTrue(valueAt(values.leaves, ['ingress', surface, 'enabled'])) && !helmInternal(values.leaves, ['ingress', surface, 'annotations'], [ALB_SCHEME])) {
    found.push(`ingress.${surface}.enabled is true without an internal scheme annotation`);
  }
  return found;
};

/** CRDB-ORY-001: Ory admin and write ports never behind an internet-facing load balancer or ingress. */
export const ORY_ADMIN_NOT_PUBLIC = resourceRule({
  id: 'CRDB-ORY-001',
  description: 'Ory admin and write APIs (Hydra 4445, Kratos 4434, Keto 4467) are never behind an internet-facing load balancer or public ingress.',
  fix: 'keep Ory admin/write APIs on ClusterIP services; reach them with port-forwarding or from inside the cluster. An internal load balancer needs the annotation scheme "internal"',
  test: { kubernetes_service: service, kubernetes_service_v1: service, kubernetes_ingress: ingress, kubernetes_ingress_v1: ingress, helm_release: helmRelease },
});

/** The admin key of an Ory chart release (`admin` or `write`), undefined for other charts. */
function oryAdminSurface(release: ResourceEntry): string | undefined {
  const chart = String(release.config['chart'] ?? '');
  const name = Object.keys(ADMIN_SURFACE).find((service) => new RegExp(`(^|/)${service}$`).test(chart));
  return name ? ADMIN_SURFACE[name] : undefined;
}

function isAdminPort(value: unknown): boolean {
  return ORY_ADMIN_PORTS.includes(Number(value));
}

function annotationsOf(resource: ResourceEntry): Record<string, unknown> {
  const annotations = firstBlock(resource.config['metadata'])?.['annotations'];
  return isObject(annotations) ? annotations : {};
}

function isInternal(annotations: Record<string, unknown>, keys: readonly string[]): boolean {
  return keys.some((key) => annotations[key] === 'internal' || (key === LB_INTERNAL && isTrue(annotations[key])));
}

function helmInternal(leaves: readonly HelmValue[], prefix: string[], keys: readonly string[]): boolean {
  const annotations = Object.fromEntries(keys.map((key) => [key, valueAt(leaves, [...prefix, key])]));
  return isInternal(annotations, keys);
}

/** The last value set for `path` (a later `set` wins over `values`, as in Helm). */
function valueAt(leaves: readonly HelmValue[], path: readonly string[]): unknown {
  const matches = leaves.filter((leaf) => leaf.path.length === path.length && leaf.path.every((key, index) => key === path[index]));
  return matches[matches.length - 1]?.value;
}
