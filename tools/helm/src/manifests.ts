import { parseAllDocuments } from 'yaml';

/** One Kubernetes object of `helm template` output, with the template it came from. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  /** `# Source: <chart>/templates/<file>` of the document. */
  readonly source: string;
  readonly [field: string]: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- Kubernetes objects of any kind
}

/** Parses multi-document YAML (`helm template` output); empty documents are skipped, a broken one throws. */
export function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text).flatMap((document) => {
    if (document.errors.length > 0) throw new Error(`helm output is not valid YAML: ${document.errors.map((e) => e.message).join('; ')}`);
    const object = document.toJS() as Record<string, unknown> | null;
    if (!object) return [];
    if (typeof object['kind'] !== 'string' || typeof object['apiVersion'] !== 'string') throw new Error(`helm output has a document without kind/apiVersion: ${JSON.stringify(object).slice(0, 200)}`);
    const comment = `${document.commentBefore ?? ''}\n${(document.contents as { commentBefore?: string } | null)?.commentBefore ?? ''}`;
    const source = /#?\s*Source:\s*(\S+)/.exec(comment)?.[1] ?? '';
    return [{ ...object, source } as Manifest];
  });
}

/** The manifest of `kind` named `name`; throws listing what exists, so a failing assertion says what was rendered. */
export function findManifest(manifests: readonly Manifest[], kind: string, name: string): Manifest {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`No ${kind} "${name}" rendered; rendered: ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`);
  return found;
}
