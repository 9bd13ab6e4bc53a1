import type { ChangeKind } from '@crdb-ory/core/terraform';
import type { DangerousActionRule } from '../dangerous-action-rule';
import { nodeIndexOf } from '../node-index';

// A create is no touch (a first deploy creates every node). The `terraform_data.node-<n>_settings_...`
// records are not node-scoped types, so their by-design updates never count.
const TOUCHING_KINDS: readonly ChangeKind[] = ['update', 'delete', 'replace'];

export const CRDB_NODES_TOUCHED: DangerousActionRule = {
  id: 'crdb-nodes-touched',
  title: 'More than one CockroachDB node touched in one apply',
  description:
    'Changing several nodes at once can take more than one replica of a range down together and lose quorum (three nodes, replication factor 3). Change one node per apply, waiting until no range is under-replicated in between (`npm run roll`).',
  check: (stack, changes) => {
    const touched = changes.flatMap((change) => {
      const node = nodeIndexOf(change);
      return node !== undefined && TOUCHING_KINDS.includes(change.kind) ? [{ node, address: change.address }] : [];
    });
    const nodes = [...new Set(touched.map((t) => t.node))].sort((a, b) => a - b);
    if (nodes.length < 2) return [];
    const perNode = nodes.map((node) => `node ${node}: ${touched.filter((t) => t.node === node).map((t) => t.address).sort().join(', ')}`);
    return [{ ruleId: 'crdb-nodes-touched', stack, addresses: touched.map((t) => t.address).sort(), summary: `${nodes.length} nodes are changed in one apply (${perNode.join('; ')})` }];
  },
};
