/**
 * The `restricted` Pod Security Standard as Kubernetes documents it ("Pod Security Standards",
 * kubernetes.io/docs/concepts/security/pod-security-standards/, the Baseline and Restricted
 * tables), checked on a rendered pod template. "Containers" are containers, initContainers and
 * ephemeralContainers. Each control returns what it finds wrong, named after the docs' control.
 */
import type { PodTemplate } from './manifest-checks';

/** Baseline, Capabilities: what may be added. */
const BASELINE_CAPABILITIES = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];
/** Baseline, Sysctls: the safe set. */
const SAFE_SYSCTLS = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'];
/** Baseline, SELinux: allowed types. */
const SELINUX_TYPES = ['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];
/** Restricted, Volume Types: the only ones allowed. */
const RESTRICTED_VOLUME_TYPES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

type Json = Record<string, any>;

function allContainers(pod: PodTemplate): Json[] {
  return [...(pod.spec['initContainers'] ?? []), ...(pod.spec['containers'] ?? []), ...(pod.spec['ephemeralContainers'] ?? [])];
}

/** Every violation of the restricted profile (which includes baseline) by `pod`. */
export function restrictedProblems(pod: PodTemplate): string[] {
  const spec = pod.spec;
  const podContext: Json = spec['securityContext'] ?? {};
  const containers = allContainers(pod);
  const problems: string[] = [];
  const bad = (control: string, detail: string) => problems.push(`${pod.owner}: ${control}: ${detail}`);
  const each = (fn: (c: Json, sc: Json) => void) => containers.forEach((c) => fn(c, c['securityContext'] ?? {}));

  // Baseline
  if (podContext['windowsOptions']?.hostProcess || containers.some((c) => c['securityContext']?.windowsOptions?.hostProcess)) bad('HostProcess', 'hostProcess is set');
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[field]) bad('Host Namespaces', `${field} is true`);
  each((c, sc) => sc['privileged'] && bad('Privileged Containers', `${c['name']} is privileged`));
  each((c, sc) => (sc['capabilities']?.add ?? []).filter((cap: string) => !BASELINE_CAPABILITIES.includes(cap)).forEach((cap: string) => bad('Capabilities', `${c['name']} adds ${cap}`)));
  (spec['volumes'] ?? []).forEach((v: Json) => v['hostPath'] && bad('HostPath Volumes', `volume ${v['name']}`));
  each((c) => (c['ports'] ?? []).forEach((p: Json) => p['hostPort'] && bad('Host Ports', `${c['name']} hostPort ${p['hostPort']}`)));
  const appArmor = [podContext['appArmorProfile']?.type, ...containers.map((c) => c['securityContext']?.appArmorProfile?.type)].filter((t) => t !== undefined);
  appArmor.filter((t) => !['RuntimeDefault', 'Localhost'].includes(t)).forEach((t) => bad('AppArmor', `profile ${t}`));
  Object.entries(pod.metadata.annotations ?? {}).filter(([k]) => k.startsWith('container.apparmor.security.beta.kubernetes.io/')).forEach(([k, v]) => !['runtime/default', ''].includes(v) && !v.startsWith('localhost/') && bad('AppArmor', `${k}: ${v}`));
  for (const selinux of [podContext['seLinuxOptions'], ...containers.map((c) => c['securityContext']?.seLinuxOptions)].filter(Boolean)) {
    if (!SELINUX_TYPES.includes(selinux.type ?? '')) bad('SELinux', `type ${selinux.type}`);
    if (selinux.user || selinux.role) bad('SELinux', 'a custom user or role');
  }
  each((c, sc) => sc['procMount'] !== undefined && sc['procMount'] !== 'Default' && bad('/proc Mount Type', `${c['name']} procMount ${sc['procMount']}`));
  (podContext['sysctls'] ?? []).forEach((s: Json) => !SAFE_SYSCTLS.includes(s['name']) && bad('Sysctls', s['name']));

  // Restricted
  (spec['volumes'] ?? []).forEach((v: Json) => {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (!type || !RESTRICTED_VOLUME_TYPES.includes(type)) bad('Volume Types', `volume ${v['name']} is ${type}`);
  });
  each((c, sc) => sc['allowPrivilegeEscalation'] !== false && bad('Privilege Escalation', `${c['name']} allowPrivilegeEscalation is ${String(sc['allowPrivilegeEscalation'])}, must be false`));
  each((c, sc) => {
    if (sc['runAsNonRoot'] === false) bad('Running as Non-root', `${c['name']} sets runAsNonRoot false`);
    else if (sc['runAsNonRoot'] !== true && podContext['runAsNonRoot'] !== true) bad('Running as Non-root', `${c['name']}: runAsNonRoot is true neither on the pod nor on the container`);
  });
  if (podContext['runAsUser'] === 0) bad('Running as Non-root user', 'the pod runs as uid 0');
  each((c, sc) => sc['runAsUser'] === 0 && bad('Running as Non-root user', `${c['name']} runs as uid 0`));
  const seccomp = (profile: Json | undefined) => profile?.type;
  each((c, sc) => {
    const type = seccomp(sc['seccompProfile']) ?? seccomp(podContext['seccompProfile']);
    if (!['RuntimeDefault', 'Localhost'].includes(type)) bad('Seccomp', `${c['name']} seccompProfile ${String(type)}, must be RuntimeDefault or Localhost`);
  });
  each((c, sc) => {
    const caps = sc['capabilities'] ?? {};
    if (!(caps.drop ?? []).includes('ALL')) bad('Capabilities (restricted)', `${c['name']} does not drop ALL`);
    (caps.add ?? []).filter((cap: string) => cap !== 'NET_BIND_SERVICE').forEach((cap: string) => bad('Capabilities (restricted)', `${c['name']} adds ${cap}`));
  });
  return problems;
}
