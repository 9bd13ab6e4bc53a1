import { Manifest, findManifest } from '@crdb-ory/helm';
import { parse } from 'yaml';
import { PodTemplate, containers, fileSource } from './manifest-checks';

/** The config an Ory server in a pod really runs with: its `--config` file from the mounted ConfigMap, then the env overrides. */
export interface PodConfig {
  readonly owner: string;
  readonly container: string;
  /** `/etc/config/hydra.yaml` */
  readonly path: string;
  /** The file as the chart rendered it (chart defaults merged in). */
  readonly file: Record<string, unknown>;
  /** The file with the environment applied, as Ory's config loader does (`SECRETS_SYSTEM` -> `secrets.system`). */
  readonly effective: Record<string, unknown>;
  /** Every file path the container can read from a ConfigMap, with its content. */
  readonly configFiles: Readonly<Record<string, string>>;
}

/** Ory's config loader maps an env var to a key path (`URLS_SELF_ISSUER` -> `urls.self.issuer`); the `secrets.*` keys are lists. */
function applyEnv(config: Record<string, unknown>, name: string, value: string): void {
  const path = name.toLowerCase().split('_');
  let node: Record<string, unknown> = config;
  for (const key of path.slice(0, -1)) {
    node[key] = node[key] && typeof node[key] === 'object' ? node[key] : {};
    node = node[key] as Record<string, unknown>;
  }
  node[path.at(-1) ?? ''] = path[0] === 'secrets' ? [value] : value;
}

/**
 * The configs of every container of `pods` that runs `<binary> ... --config <file>`. `secretValue`
 * returns the value of a Secret key (with stand-ins), for env vars read from a Secret.
 */
export function podConfigs(manifests: readonly Manifest[], pods: readonly PodTemplate[], secretValue: (secret: string, key: string) => string | undefined): PodConfig[] {
  return pods.flatMap((pod) =>
    containers(pod).flatMap((container): PodConfig[] => {
      const args: string[] = [...(container['command'] ?? []), ...(container['args'] ?? [])];
      const at = args.indexOf('--config');
      const path = at >= 0 ? args[at + 1] : undefined;
      if (!path) return [];
      const owner = `${pod.owner}/${container['name']}`;
      const read = (file: string): string | undefined => {
        const source = fileSource(pod, container, file);
        const name = source?.volume['configMap']?.name;
        return name && source?.key ? findManifest(manifests, 'ConfigMap', name)['data']?.[source.key] : undefined;
      };
      const text = read(path);
      if (text === undefined) throw new Error(`${owner}: --config ${path} is not a file of a mounted ConfigMap`);
      const configFiles: Record<string, string> = {};
      for (const mount of container['volumeMounts'] ?? []) {
        const volume = (pod.spec['volumes'] ?? []).find((v: any) => v.name === mount.name);
        const map = volume?.configMap ? findManifest(manifests, 'ConfigMap', volume.configMap.name) : undefined;
        for (const key of Object.keys(map?.['data'] ?? {})) configFiles[`${String(mount.mountPath).replace(/\/+$/, '')}/${key}`] = map?.['data'][key];
      }
      const file = (parse(text) ?? {}) as Record<string, unknown>;
      const effective = structuredClone(file);
      for (const env of container['env'] ?? []) {
        const ref = env.valueFrom?.secretKeyRef;
        const value = ref ? secretValue(ref.name, ref.key) : env.value;
        if (value === undefined) {
          if (ref?.optional) continue;
          throw new Error(`${owner}: env ${env.name} has no value`);
        }
        applyEnv(effective, env.name, String(value));
      }
      return [{ owner, container: String(container['name']), path, file, effective, configFiles }];
    }),
  );
}
