/**
 * Assertions on rendered Kubernetes manifests. Each returns the problems it finds (empty when
 * fine), so a test can also prove that it reports a deliberately broken rendering.
 */
import type { Manifest } from '@crdb-ory/helm';

export interface PodTemplate {
  /** `Deployment/hydra`, `Job/hydra-automigrate`... */
  readonly owner: string;
  readonly manifest: Manifest;
  readonly metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
  readonly spec: Record<string, any>;
}

const TEST_HOOKS = new Set(['test', 'test-success']);

/** Helm test pods (`helm.sh/hook: test`) are created only by `helm test`, never by an install or upgrade. */
export function isHelmTest(manifest: Manifest): boolean {
  const hooks = (manifest.metadata.annotations?.['helm.sh/hook'] ?? '').split(',').map((h) => h.trim());
  return hooks.some((hook) => TEST_HOOKS.has(hook));
}

/** The pod templates an install creates: Deployments, StatefulSets, DaemonSets, Jobs (hooks included), CronJobs, bare Pods. */
export function podTemplates(manifests: readonly Manifest[]): PodTemplate[] {
  return manifests.filter((m) => !isHelmTest(m)).flatMap((m): PodTemplate[] => {
    const owner = `${m.kind}/${m.metadata.name}`;
    const template =
      m.kind === 'Pod' ? { metadata: m.metadata, spec: m['spec'] } : m.kind === 'CronJob' ? m['spec']?.jobTemplate?.spec?.template : ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(m.kind) ? m['spec']?.template : undefined;
    return template ? [{ owner, manifest: m, metadata: template.metadata ?? {}, spec: template.spec ?? {} }] : [];
  });
}

export function containers(pod: PodTemplate): Array<Record<string, any>> {
  return [...(pod.spec['initContainers'] ?? []), ...(pod.spec['containers'] ?? [])];
}

/** The migration job: the pre-install/pre-upgrade hook Job. */
export function migrationJobs(manifests: readonly Manifest[]): PodTemplate[] {
  return podTemplates(manifests).filter((p) => p.manifest.kind === 'Job' && /pre-(install|upgrade)/.test(p.manifest.metadata.annotations?.['helm.sh/hook'] ?? ''));
}

export function deployments(manifests: readonly Manifest[]): PodTemplate[] {
  return podTemplates(manifests).filter((p) => p.manifest.kind === 'Deployment');
}

function matches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  return !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

/** Where a file path of a container comes from: the volume (and its key) mounted over it, or undefined. */
export function fileSource(pod: PodTemplate, container: Record<string, any>, path: string): { volume: Record<string, any>; key?: string } | undefined {
  for (const mount of container['volumeMounts'] ?? []) {
    const dir = String(mount.mountPath).replace(/\/+$/, '');
    if (!path.startsWith(`${dir}/`)) continue;
    const volume = (pod.spec['volumes'] ?? []).find((v: any) => v.name === mount.name);
    if (!volume) return undefined;
    const relative = mount.subPath ? undefined : path.slice(dir.length + 1);
    const items: Array<{ key: string; path: string }> | undefined = volume.secret?.items ?? volume.configMap?.items;
    const key = items ? items.find((item) => item.path === relative)?.key : relative;
    return { volume, ...(key ? { key } : {}) };
  }
  return undefined;
}

/**
 * Every file of the DSN (`sslrootcert`, `sslcert`, `sslkey`) exists in every container that
 * gets the DSN: a mount of a volume of `secretName` whose items include the file.
 */
export function certificateMountProblems(pods: readonly PodTemplate[], secretName: string, certificatePaths: readonly string[]): string[] {
  if (pods.length === 0) return ['no pod template to check'];
  return pods.flatMap((pod) => {
    const dsnContainers = containers(pod).filter((c) => (c['env'] ?? []).some((e: any) => e.name === 'DSN'));
    if (dsnContainers.length === 0) return [`${pod.owner}: no container gets the DSN`];
    return dsnContainers.flatMap((container) =>
      certificatePaths.flatMap((path) => {
        const source = fileSource(pod, container, path);
        if (!source) return [`${pod.owner}/${container['name']}: nothing is mounted at ${path}`];
        if (source.volume['secret']?.secretName !== secretName) return [`${pod.owner}/${container['name']}: ${path} is not from Secret ${secretName}`];
        return source.key ? [] : [`${pod.owner}/${container['name']}: volume ${source.volume['name']} has no item for ${path}`];
      }),
    );
  });
}

/** Every Secret key a pod reads (env, envFrom, volumes) names a Secret we create and a key it has. */
export function secretKeyProblems(pods: readonly PodTemplate[], secrets: Readonly<Record<string, readonly string[]>>): string[] {
  const check = (owner: string, name: string | undefined, key?: string): string[] => {
    const keys = name === undefined ? undefined : secrets[name];
    if (!keys) return [`${owner} reads Secret ${String(name)}, which the stack does not create`];
    return key === undefined || keys.includes(key) ? [] : [`${owner} reads key ${key} of Secret ${name}, which has only ${keys.join(', ')}`];
  };
  return pods.flatMap((pod) => [
    ...containers(pod).flatMap((c) => [
      ...(c['env'] ?? []).flatMap((e: any) => (e.valueFrom?.secretKeyRef ? check(`${pod.owner}/${c['name']} env ${e.name}`, e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key) : [])),
      ...(c['envFrom'] ?? []).flatMap((e: any) => (e.secretRef ? check(`${pod.owner}/${c['name']} envFrom`, e.secretRef.name) : [])),
    ]),
    ...(pod.spec['volumes'] ?? []).flatMap((v: any) =>
      v.secret ? [...check(`${pod.owner} volume ${v.name}`, v.secret.secretName), ...(v.secret.items ?? []).flatMap((i: any) => check(`${pod.owner} volume ${v.name}`, v.secret.secretName, i.key))] : [],
    ),
  ]);
}

/** The container port a Service port reaches on the pods it selects, or a problem. */
export function serviceTarget(manifests: readonly Manifest[], serviceName: string, namespace: string, port: number | string): { containerPort: number; portName?: string } | string {
  const service = manifests.find((m) => m.kind === 'Service' && m.metadata.name === serviceName && (m.metadata.namespace ?? namespace) === namespace);
  if (!service) return `no Service ${serviceName} in namespace ${namespace} (rendered: ${manifests.filter((m) => m.kind === 'Service').map((m) => m.metadata.name).join(', ')})`;
  const servicePort = (service['spec']?.ports ?? []).find((p: any) => (typeof port === 'number' ? p.port === port : p.name === port));
  if (!servicePort) return `Service ${serviceName} has no port ${port} (ports: ${(service['spec']?.ports ?? []).map((p: any) => p.port).join(', ')})`;
  const pods = deployments(manifests).filter((pod) => matches(service['spec']?.selector, pod.metadata.labels));
  if (pods.length === 0) return `Service ${serviceName} selects no Deployment's pods`;
  for (const pod of pods) {
    for (const container of containers(pod)) {
      const target = servicePort.targetPort ?? port;
      const found = (container['ports'] ?? []).find((p: any) => (typeof target === 'number' ? p.containerPort === target : p.name === target));
      if (found) return { containerPort: found.containerPort, portName: found.name };
    }
  }
  return `Service ${serviceName} port ${port} targets ${String(servicePort.targetPort)}, which no container of ${pods.map((p) => p.owner).join(', ')} exposes`;
}

/** `http://<service>.<namespace>.svc.cluster.local:<port>/` reaches a container listening on `listenPort`. */
export function internalUrlProblems(manifests: readonly Manifest[], url: string, listenPort: number): string[] {
  const match = /^https?:\/\/([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local:(\d+)\/?$/.exec(url);
  if (!match) return [`${url} is not a cluster-internal Service URL`];
  const target = serviceTarget(manifests, match[1] ?? '', match[2] ?? '', Number(match[3]));
  if (typeof target === 'string') return [`${url}: ${target}`];
  return target.containerPort === listenPort ? [] : [`${url} reaches container port ${target.containerPort}, but the server listens on ${listenPort}`];
}

export interface IngressBackend {
  readonly ingress: string;
  readonly internetFacing: boolean;
  readonly service: string;
  /** Service port number, or its name. */
  readonly port: number | string;
}

/** Backends of the charts' own Ingresses (from the manifests); an Ingress is internal only with the ALB's `scheme: internal`. */
export function renderedIngressBackends(manifests: readonly Manifest[]): IngressBackend[] {
  return manifests.filter((m) => m.kind === 'Ingress').flatMap((m) =>
    (m['spec']?.rules ?? []).flatMap((rule: any) =>
      (rule.http?.paths ?? []).map((path: any) => ({
        ingress: `Ingress/${m.metadata.name}`,
        internetFacing: m.metadata.annotations?.['alb.ingress.kubernetes.io/scheme'] !== 'internal',
        service: path.backend?.service?.name,
        port: path.backend?.service?.port?.number ?? path.backend?.service?.port?.name,
      })),
    ),
  );
}

/** No internet-facing Ingress reaches a container port that serves an admin or write API. */
export function exposedPrivilegedPortProblems(manifests: readonly Manifest[], namespace: string, backends: readonly IngressBackend[], privilegedPorts: readonly number[]): string[] {
  return backends.filter((b) => b.internetFacing).flatMap((b) => {
    const target = serviceTarget(manifests, b.service, namespace, b.port);
    if (typeof target === 'string') return [`${b.ingress}: ${target}`];
    return privilegedPorts.includes(target.containerPort) ? [`${b.ingress} is internet-facing and reaches ${b.service}:${b.port}, the admin/write port ${target.containerPort}`] : [];
  });
}

/** A PodDisruptionBudget and a hard zone spread that select the Deployment's own pods. */
export function availabilityProblems(manifests: readonly Manifest[]): string[] {
  return deployments(manifests).flatMap((pod) => {
    const labels = pod.metadata.labels;
    const pdb = manifests.find((m) => m.kind === 'PodDisruptionBudget' && matches(m['spec']?.selector?.matchLabels, labels));
    const spread = (pod.spec['topologySpreadConstraints'] ?? []).find(
      (c: any) => c.topologyKey === 'topology.kubernetes.io/zone' && c.whenUnsatisfiable === 'DoNotSchedule' && matches(c.labelSelector?.matchLabels, labels),
    );
    return [
      ...(pdb && (pdb['spec']?.maxUnavailable !== undefined || pdb['spec']?.minAvailable !== undefined) ? [] : [`${pod.owner}: no PodDisruptionBudget selects its pods`]),
      ...(spread ? [] : [`${pod.owner}: no DoNotSchedule zone spread whose selector matches its pods`]),
    ];
  });
}

/** Every container runs as a non-root user (runAsNonRoot, and no runAsUser 0), from its own or the pod's securityContext. */
export function rootProblems(pods: readonly PodTemplate[]): string[] {
  return pods.flatMap((pod) =>
    containers(pod).flatMap((c) => {
      const nonRoot = c['securityContext']?.runAsNonRoot ?? pod.spec['securityContext']?.runAsNonRoot;
      const user = c['securityContext']?.runAsUser ?? pod.spec['securityContext']?.runAsUser;
      return nonRoot === true && user !== 0 ? [] : [`${pod.owner}/${c['name']} may run as root (runAsNonRoot ${String(nonRoot)}, runAsUser ${String(user)})`];
    }),
  );
}

/**
 * Kubernetes mounts a ServiceAccount token unless the pod says `automountServiceAccountToken:
 * false`, or the pod is silent and its ServiceAccount says false. No Ory pod needs the API, so each
 * pod must say false itself: a pod that is silent (a chart value that rendered empty) depends on
 * whichever ServiceAccount it is given, which `serviceAccount.name` can change.
 */
export function serviceAccountTokenProblems(manifests: readonly Manifest[], pods: readonly PodTemplate[]): string[] {
  return pods.flatMap((pod) => {
    const accountName = pod.spec['serviceAccountName'] ?? 'default';
    const account = manifests.find((m) => m.kind === 'ServiceAccount' && m.metadata.name === accountName);
    const own = pod.spec['automountServiceAccountToken'];
    const mounted = own ?? account?.['automountServiceAccountToken'] ?? true;
    if (mounted !== false) return [`${pod.owner} gets a ServiceAccount token (pod automountServiceAccountToken ${String(own)}, ServiceAccount ${accountName} ${String(account?.['automountServiceAccountToken'])})`];
    return own === false ? [] : [`${pod.owner} does not set automountServiceAccountToken: false itself (it renders ${String(own)} and defers to ServiceAccount ${accountName})`];
  });
}

/**
 * Every Deployment rolls one pod at a time and never below its replica count: RollingUpdate with
 * `maxUnavailable: 0` and `maxSurge: 1` (a PodDisruptionBudget only guards evictions, not rollouts).
 */
export function rolloutProblems(manifests: readonly Manifest[]): string[] {
  return deployments(manifests).flatMap((pod) => {
    const strategy = pod.manifest['spec']?.strategy ?? {};
    const rolling = strategy.rollingUpdate ?? {};
    return strategy.type === 'RollingUpdate' && rolling.maxUnavailable === 0 && rolling.maxSurge === 1
      ? []
      : [`${pod.owner}: strategy ${JSON.stringify(strategy)} is not one pod at a time (RollingUpdate, maxUnavailable 0, maxSurge 1)`];
  });
}

/** Each pod template carries `annotation` with exactly `expected`: a change of it changes the template, so the pods roll. */
export function podAnnotationProblems(pods: readonly PodTemplate[], annotation: string, expected: string): string[] {
  return pods.flatMap((pod) => {
    const actual = pod.metadata.annotations?.[annotation];
    return actual === expected ? [] : [`${pod.owner}: pod annotation ${annotation} is ${actual === undefined ? 'missing' : JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`];
  });
}
