import { wholeInterpolation } from '@crdb-ory/core';
import { parse } from 'yaml';
import type { ResourceEntry } from './stack-document';
import { blocks, isObject } from './values';

/** One leaf of a Helm release's values: from a `values` YAML document or a `set` entry. */
export interface HelmValue {
  /** Dotted path split into keys, e.g. `['service', 'admin', 'type']`. */
  readonly path: readonly string[];
  readonly value: unknown;
  readonly origin: 'values' | 'set' | 'set_sensitive';
}

/** The release's values as leaves, plus the `values` documents that cannot be read at synthesis. */
export interface HelmValues {
  readonly leaves: readonly HelmValue[];
  /** `values` entries that are a Terraform expression (e.g. `${yamlencode(...)}`) or not YAML. */
  readonly unreadable: readonly string[];
}

/**
 * Reads a `helm_release`'s values. Chart defaults and templates are not known here (no
 * `helm template` offline), so rules see only what the stack sets.
 */
export function helmValues(release: ResourceEntry): HelmValues {
  const leaves: HelmValue[] = [];
  const unreadable: string[] = [];
  for (const document of arrayOf(release.config['values'])) {
    const parsed = typeof document === 'string' && wholeInterpolation(document) === undefined ? tryParse(document) : undefined;
    if (parsed === undefined) unreadable.push(String(document));
    else leaves.push(...yamlLeaves(parsed, []));
  }
  for (const origin of ['set', 'set_sensitive'] as const) {
    for (const entry of blocks(release.config[origin])) {
      if (typeof entry['name'] === 'string') leaves.push({ path: splitSetName(entry['name']), value: entry['value'], origin });
    }
  }
  return { leaves, unreadable };
}

/** Helm `--set` names: dots separate keys unless escaped (`a\.b`); `[n]` indexes lists. */
export function splitSetName(name: string): string[] {
  return name
    .split(/(?<!\\)\./)
    .flatMap((part) => part.replace(/\\\./g, '.').split(/\[(\d+)\]/).filter((piece) => piece !== ''));
}

function tryParse(text: string): unknown {
  try {
    return parse(text) ?? {};
  } catch {
    return undefined;
  }
}

function yamlLeaves(value: unknown, path: string[]): HelmValue[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => yamlLeaves(item, [...path, String(index)]));
  if (isObject(value)) return Object.entries(value).flatMap(([key, item]) => yamlLeaves(item, [...path, key]));
  return [{ path, value, origin: 'values' }];
}

function arrayOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
