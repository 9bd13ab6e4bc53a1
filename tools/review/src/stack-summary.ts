import { OutputsContract, SynthesizedStackJson, terraformOutputName } from '@crdb-ory/core';

/** Resource counts by type, most frequent first, then by name. */
export function resourceCounts(json: SynthesizedStackJson): Array<{ type: string; count: number }> {
  return Object.entries(json.resource ?? {})
    .map(([type, byName]) => ({ type, count: Object.keys(byName).length }))
    .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
}

/** Contract outputs missing from the JSON and JSON outputs the contract does not declare. */
export function contractGaps(json: SynthesizedStackJson, contract: OutputsContract): { missing: string[]; undeclared: string[] } {
  const published = new Set(Object.keys(json.output ?? {}));
  const declared = new Set(Object.keys(contract.outputs).map(terraformOutputName));
  return {
    missing: [...declared].filter((name) => !published.has(name)),
    undeclared: [...published].filter((name) => !declared.has(name)),
  };
}
