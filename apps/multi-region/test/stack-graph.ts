/**
 * The generic graph check of a synthesized app: every stack's upstream reads resolve to a stack of
 * the same app. Pure functions over the synthesized JSON (cdk.tf.json), no cdktf.
 */

/** A synthesized stack by name: its cdk.tf.json. */
export type SynthesizedStacks = Readonly<Record<string, Record<string, any>>>;

/** The region of a resource or data source: its provider alias's region, else the default AWS provider's. */
export function regionOf(stack: Record<string, any>, block: Record<string, any>): string | undefined {
  const providers = (stack['provider']?.['aws'] ?? []) as Array<Record<string, any>>;
  const alias = typeof block['provider'] === 'string' ? /^aws\.(.+)$/.exec(block['provider'])?.[1] : undefined;
  return providers.find((p) => (alias === undefined ? p['alias'] === undefined : p['alias'] === alias))?.['region'];
}

/**
 * Every `terraform_remote_state` that does not name a stack of the app in the same state
 * backend: its backend type and config must equal some stack's own backend (local path, or S3
 * bucket, key and region).
 */
export function unresolvedRemoteStates(stacks: SynthesizedStacks): string[] {
  const backends = Object.entries(stacks).map(([name, json]) => ({ name, backend: json['terraform']?.['backend'] as Record<string, Record<string, unknown>> }));
  return Object.entries(stacks).flatMap(([name, json]) =>
    Object.entries((json['data']?.['terraform_remote_state'] ?? {}) as Record<string, { backend: string; config: Record<string, unknown> }>).flatMap(([id, read]) => {
      const found = backends.find(({ backend }) => {
        const own = backend?.[read.backend];
        return own !== undefined && Object.entries(read.config).every(([key, value]) => own[key] === value);
      });
      return found ? [] : [`${name}: ${id} (${read.backend} ${JSON.stringify(read.config)}) is no stack of this app in its state backend`];
    }),
  );
}

/**
 * Every SSM parameter a stack reads by a literal name (`data.aws_ssm_parameter`) that no stack
 * publishes (`aws_ssm_parameter`) in the reader's region. AWS's public parameters (`/aws/...`)
 * and names computed from another stack's outputs (checked through that stack's remote state) are
 * not the app's to publish.
 */
export function unpublishedParameters(stacks: SynthesizedStacks): string[] {
  const published = new Set(
    Object.values(stacks).flatMap((json) =>
      Object.values((json['resource']?.['aws_ssm_parameter'] ?? {}) as Record<string, Record<string, any>>).map((p) => `${regionOf(json, p)} ${p['name']}`),
    ),
  );
  return Object.entries(stacks).flatMap(([name, json]) =>
    Object.values((json['data']?.['aws_ssm_parameter'] ?? {}) as Record<string, Record<string, any>>)
      .filter((read) => typeof read['name'] === 'string' && !read['name'].startsWith('/aws/') && !read['name'].includes('${'))
      .flatMap((read) => {
        const key = `${regionOf(json, read)} ${read['name']}`;
        return published.has(key) ? [] : [`${name}: reads ${key}, which no stack publishes there`];
      }),
  );
}
