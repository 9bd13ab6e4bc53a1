import { DEFAULT_NAME_PREFIX } from '@crdb-ory/core';

/**
 * The EKS cluster name when none is set: `<namePrefix>-ory`, and `ory` for the default prefix
 * (`crdb-ory`), the name every deployment made before names derived from the prefix has. The
 * cluster name is account-unique per region, and its log group (`/aws/eks/<name>/cluster`) and
 * secrets key alias (`alias/eks/<name>-secrets`) derive from it, so two environments with two
 * prefixes never share them.
 */
export function defaultEksClusterName(namePrefix: string): string {
  return namePrefix === DEFAULT_NAME_PREFIX ? 'ory' : `${namePrefix}-ory`;
}
