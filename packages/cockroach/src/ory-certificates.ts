/**
 * The certificates Ory presents to CockroachDB, published where the nodes can watch them: the
 * `ory` stack writes, after its releases have rolled onto a Secret's content, one String SSM
 * parameter per service holding the public certificates of that Secret (CA and client
 * certificate, PEM; never the key). Every node's metrics timer reads them and publishes the days
 * left on each, and the `ory` stack alarms on that. cdktf-free: the node scripts, the cockroach
 * stack (the nodes' read permission) and the ory stack share it.
 */

/** `/<namePrefix>/ory/presented-certificates`: the path the nodes read (GetParametersByPath). */
export function oryPresentedCertificatesPath(namePrefix: string): string {
  return `/${namePrefix}/ory/presented-certificates`;
}

/** One service's parameter: `/<namePrefix>/ory/presented-certificates/<service>`. */
export function oryPresentedCertificateParameterName(namePrefix: string, service: string): string {
  return `${oryPresentedCertificatesPath(namePrefix)}/${service}`;
}
