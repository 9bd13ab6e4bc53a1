import { CDKTF_MANIFEST_FILE, cdktfManifestOf, readCdktfManifestJson, readManifestStackJson } from '@crdb-ory/core/terraform';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

/** What one synthesis wrote: `manifest.json` and each stack's `cdk.tf.json`, parsed. */
export interface SynthesizedApp {
  readonly manifest: Json;
  /** Stack name -> its cdk.tf.json. */
  readonly stacks: ReadonlyMap<string, Json>;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Reads what a synthesis wrote into `outdir`, through its manifest (core's one manifest reader, as cdktf-cli does). */
export function readSynthesizedApp(outdir: string): SynthesizedApp {
  const manifest = readCdktfManifestJson(outdir) as Json;
  const entries = Object.values(cdktfManifestOf(manifest).stacks);
  if (entries.length === 0) throw new Error(`${join(outdir, CDKTF_MANIFEST_FILE)} lists no stack.`);
  const stacks = new Map(entries.map((stack) => [stack.name, readManifestStackJson(outdir, stack) as Json]));
  return { manifest, stacks };
}

/**
 * The engine version a synthesis stamped on its output: `//.metadata.version` of a stack,
 * `version` of the manifest. It is the one value the engines write differently.
 */
export function stampedVersion(json: Json, kind: 'stack' | 'manifest'): unknown {
  if (!isObject(json)) return undefined;
  if (kind === 'manifest') return json['version'];
  const comment = json['//'];
  const metadata = isObject(comment) ? comment['metadata'] : undefined;
  return isObject(metadata) ? metadata['version'] : undefined;
}

/**
 * `json` as the comparison sees it: without the engine's version stamp and, in the manifest,
 * without the stack traces of annotations (an app that captures them, as cdktf does by default,
 * records the folder it ran in and the engine's own call stack: debugging aid, not Terraform).
 */
export function comparable(json: Json, kind: 'stack' | 'manifest'): Json {
  if (!isObject(json)) return json;
  if (kind === 'manifest') return withoutAnnotationStackTraces(withoutKey(json, 'version'));
  const comment = json['//'];
  const metadata = isObject(comment) ? comment['metadata'] : undefined;
  if (!isObject(comment) || !isObject(metadata)) return json;
  return { ...json, '//': { ...comment, metadata: withoutKey(metadata, 'version') } };
}

function withoutAnnotationStackTraces(manifest: { [key: string]: Json }): Json {
  const stacks = manifest['stacks'];
  if (!isObject(stacks)) return manifest;
  const cleaned = Object.fromEntries(
    Object.entries(stacks).map(([name, stack]) => {
      const annotations = isObject(stack) ? stack['annotations'] : undefined;
      if (!isObject(stack) || !Array.isArray(annotations)) return [name, stack];
      return [name, { ...stack, annotations: annotations.map((annotation) => (isObject(annotation) ? withoutKey(annotation, 'stacktrace') : annotation)) }];
    }),
  );
  return { ...manifest, stacks: cleaned };
}

function withoutKey(json: { [key: string]: Json }, key: string): { [key: string]: Json } {
  return Object.fromEntries(Object.entries(json).filter(([name]) => name !== key));
}

/**
 * Where two JSON values differ, as `path: left -> right` lines (object key order ignored,
 * array order kept: Terraform reads lists in order). At most `limit` lines.
 */
export function jsonDifferences(left: Json, right: Json, path = '$', limit = 20): string[] {
  const found: string[] = [];
  collectDifferences(left, right, path, found, limit);
  return found;
}

function collectDifferences(left: Json | undefined, right: Json | undefined, path: string, found: string[], limit: number): void {
  if (found.length >= limit || isDeepStrictEqual(left, right)) return;
  if (isObject(left) && isObject(right)) {
    for (const key of [...new Set([...Object.keys(left), ...Object.keys(right)])].sort()) {
      collectDifferences(left[key], right[key], `${path}${/^[A-Za-z_][\w-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`}`, found, limit);
    }
    return;
  }
  if (Array.isArray(left) && Array.isArray(right) && left.length === right.length) {
    left.forEach((item, index) => collectDifferences(item, right[index], `${path}[${index}]`, found, limit));
    return;
  }
  found.push(`${path}: ${shown(left)} -> ${shown(right)}`);
}

function shown(value: Json | undefined): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One side of a comparison: what an engine synthesized, and the version it must have stamped. */
export interface EngineOutput {
  readonly label: string;
  readonly version: string;
  readonly app: SynthesizedApp;
}

export interface Equivalence {
  readonly stacks: readonly string[];
  /** Empty when the two are the same Terraform; else what differs, per stack. */
  readonly differences: readonly string[];
}

/**
 * Compares two syntheses of one app by two engines: the same stacks, and for each stack the
 * same JSON once the engine's version stamp is removed (the manifest likewise, its annotations'
 * stack traces aside). Each side must carry
 * its own engine's stamp (so a run that loaded the wrong engine cannot pass).
 */
export function compareEngineOutputs(left: EngineOutput, right: EngineOutput): Equivalence {
  const differences: string[] = [];
  for (const side of [left, right]) {
    const stamps = [['manifest.json', stampedVersion(side.app.manifest, 'manifest')] as const, ...[...side.app.stacks].map(([name, json]) => [`stack ${name}`, stampedVersion(json, 'stack')] as const)];
    for (const [what, stamp] of stamps) {
      if (stamp !== side.version) differences.push(`${side.label}: ${what} is stamped ${JSON.stringify(stamp)}, not ${side.version}: the synthesis did not run on that engine`);
    }
  }
  const names = [...new Set([...left.app.stacks.keys(), ...right.app.stacks.keys()])].sort();
  for (const name of names) {
    const l = left.app.stacks.get(name);
    const r = right.app.stacks.get(name);
    if (l === undefined || r === undefined) {
      differences.push(`stack ${name}: synthesized by ${l === undefined ? right.label : left.label} only`);
      continue;
    }
    differences.push(...jsonDifferences(comparable(l, 'stack'), comparable(r, 'stack'), name).map((line) => `stack ${line}`));
  }
  differences.push(...jsonDifferences(comparable(left.app.manifest, 'manifest'), comparable(right.app.manifest, 'manifest'), 'manifest.json'));
  return { stacks: names, differences };
}

/** Resources per stack, for the report line. */
export function resourceCount(stack: Json): number {
  const resources = isObject(stack) ? stack['resource'] : undefined;
  if (!isObject(resources)) return 0;
  return Object.values(resources).reduce<number>((sum, byName) => sum + (isObject(byName) ? Object.keys(byName).length : 0), 0);
}
