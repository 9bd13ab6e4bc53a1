import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The one placeholder syntax of the script templates: `@@NAME@@` (capitals, digits, `_`). Bash
 * gives `@@` no meaning, so a placeholder never collides with the scripts' own `${...}`, and
 * shellcheck reads a template as the script it becomes (a placeholder is a plain word to it).
 */
const PLACEHOLDER = /@@([A-Z][A-Z0-9_]*)@@/g;

/**
 * The script templates: the `.sh` files beside this module in the package's `src/scripts`. The
 * package ships `src` (package.json `files`), so the compiled `dist/scripts` reads the same files
 * as the sources do: both folders are two levels below the package root.
 */
const TEMPLATE_DIR = join(__dirname, '..', '..', 'src', 'scripts');

export type TemplateValues = Readonly<Record<string, string | number>>;

/**
 * Fills each `@@NAME@@` of `template` with `values[NAME]`, as it is (a value is never scanned
 * for placeholders itself). Throws, naming the template, when a placeholder has no value or a
 * value has no placeholder: a renamed placeholder fails at synthesis, never on a node.
 */
export function fillTemplate(name: string, template: string, values: TemplateValues): string {
  const used = new Set<string>();
  const missing = new Set<string>();
  const text = template.replace(PLACEHOLDER, (_match, key: string) => {
    used.add(key);
    const value = values[key];
    if (value === undefined) {
      missing.add(key);
      return '';
    }
    return String(value);
  });
  const unused = Object.keys(values).filter((key) => !used.has(key));
  const problems = [
    ...(missing.size > 0 ? [`no value for ${[...missing].map((key) => `@@${key}@@`).join(', ')}`] : []),
    ...(unused.length > 0 ? [`no placeholder for ${unused.join(', ')}`] : []),
  ];
  if (problems.length > 0) throw new Error(`script template ${name}: ${problems.join('; ')}`);
  return text;
}

const templates = new Map<string, string>();

/** A script template (`boot.sh`, ...) as it is on disk, read once. */
export function scriptTemplate(file: string): string {
  let text = templates.get(file);
  if (text === undefined) {
    text = readFileSync(join(TEMPLATE_DIR, file), 'utf8');
    templates.set(file, text);
  }
  return text;
}

/**
 * A whole script: the template file filled in. `escapeStatic` applies to the template's own
 * text only, before the values go in (user data escapes Terraform template sequences so).
 */
export function renderScriptFile(file: string, values: TemplateValues = {}, escapeStatic: (text: string) => string = (text) => text): string {
  return fillTemplate(file, escapeStatic(scriptTemplate(file)), values);
}

/** A part that other templates take in through a placeholder line: the file filled in, without its final newline. */
export function renderScriptPart(file: string, values: TemplateValues = {}, escapeStatic?: (text: string) => string): string {
  return renderScriptFile(file, values, escapeStatic).replace(/\n$/, '');
}
