import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Where the stubs and their behaviour tables live (README.md there documents the format). */
export const STUBS_DIR = join(__dirname, 'stubs');

/** One row of a stub's behaviour table: what the stub models and the upstream text it comes from. */
export interface StubBehaviour {
  readonly id: string;
  readonly behaviour: string;
  /** Upstream documents, source files or test data (https URLs), at least one. */
  readonly sources: readonly string[];
  /** 1-based line in the table file, for messages. */
  readonly line: number;
}

export const BEHAVIOUR_ID = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;
const SOURCE = /^https:\/\/[^\s|]+$/;
const HEADER = /^\|\s*id\s*\|\s*behaviour\s*\|\s*source\s*\|\s*$/;

/** The stubs: every executable file in the stubs folder (helpers such as modelled.js are not executable). */
export function stubNames(): string[] {
  return readdirSync(STUBS_DIR)
    .filter((name) => !name.includes('.') && (statSync(join(STUBS_DIR, name)).mode & 0o111) !== 0)
    .sort();
}

export function behaviourTableFile(stub: string): string {
  return join(STUBS_DIR, `${stub}.behaviours.md`);
}

/** Splits a Markdown table row on unescaped pipes; `\|` stands for a pipe inside a cell. */
function cells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

/**
 * Parses `<stub>.behaviours.md`: the table after the `| id | behaviour | source |` header.
 * Returns the rows and every problem with them (malformed, unsourced, duplicate, unsorted).
 */
export function parseBehaviourTable(text: string): { rows: StubBehaviour[]; problems: string[] } {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => HEADER.test(l));
  if (start < 0) return { rows: [], problems: ['no table with the header "| id | behaviour | source |"'] };
  const rows: StubBehaviour[] = [];
  const problems: string[] = [];
  for (let i = start + 2; i < lines.length && lines[i]!.trim().startsWith('|'); i++) {
    const line = i + 1;
    const [id = '', behaviour = '', source = '', ...extra] = cells(lines[i]!);
    if (extra.length > 0) problems.push(`line ${line}: more than three cells (escape a pipe in the text as \\|)`);
    if (!BEHAVIOUR_ID.test(id)) problems.push(`line ${line}: id "${id}" is not lower-case words joined by "." or "-"`);
    if (behaviour.length < 10) problems.push(`line ${line} (${id}): says too little about what the stub does`);
    const sources = source.split(/\s+/).filter(Boolean);
    if (sources.length === 0) problems.push(`line ${line} (${id}): has no source; a behaviour nobody can cite is not modelled (README.md)`);
    for (const s of sources) if (!SOURCE.test(s)) problems.push(`line ${line} (${id}): source "${s}" is not an https URL of an upstream document, source file or test data`);
    rows.push({ id, behaviour, sources, line });
  }
  const ids = rows.map((r) => r.id);
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) problems.push(`id ${id} appears twice`);
  const sorted = [...ids].sort();
  if (ids.join('\n') !== sorted.join('\n')) problems.push('rows are not sorted by id (keep them sorted: rows added on two branches then merge without conflict)');
  return { rows, problems };
}

export function readBehaviourTable(stub: string): { rows: StubBehaviour[]; problems: string[] } {
  return parseBehaviourTable(readFileSync(behaviourTableFile(stub), 'utf8'));
}

/**
 * The behaviour ids a stub's code marks as modelled: `modelled('<id>')` in the JavaScript stubs,
 * `modelled <id>` in the shell ones.
 */
export function modelledIds(stub: string): string[] {
  const source = readFileSync(join(STUBS_DIR, stub), 'utf8');
  const ids = [...source.matchAll(/\bmodelled\('([^']*)'\)/g), ...source.matchAll(/^\s*modelled ([a-z0-9.-]+)\s*(?:;|$)/gm)].map((m) => m[1]!);
  return [...new Set(ids)].sort();
}
