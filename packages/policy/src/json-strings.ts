import type { StackDocument } from './stack-document';
import { stringLeaves } from './values';

/** A string anywhere in the stack JSON, with the block it belongs to. */
export interface LocatedString {
  /** Resource address, or the top-level path (`output.x`, `provider.aws`, `locals`). */
  readonly address: string;
  readonly constructPath: string;
  /** Key path inside that block. */
  readonly path: readonly string[];
  readonly value: string;
}

/** Every string of the synthesized JSON: resources, data sources, outputs, providers, locals, variables. */
export function allStrings(stack: StackDocument): LocatedString[] {
  const fromResources = [...stack.allResources(), ...stack.dataSources()].flatMap((entry) =>
    stringLeaves(entry.config).map((leaf) => ({ address: entry.address, constructPath: entry.constructPath, ...leaf })),
  );
  const fromOthers = Object.entries(stack.json)
    .filter(([section]) => section !== 'resource' && section !== 'data' && section !== '//')
    .flatMap(([section, body]) =>
      stringLeaves(body).map((leaf) => {
        const address = [section, ...leaf.path.slice(0, section === 'locals' ? 0 : 1)].join('.');
        return { address, constructPath: address, path: leaf.path, value: leaf.value };
      }),
    );
  return [...fromResources, ...fromOthers];
}
