import type { PropProblem } from '@crdb-ory/core';

/** One thing wrong with the configuration: which setting, its value, and what is allowed. */
export interface ConfigIssue {
  /** Dotted path of the setting, e.g. `network.oryVpc.cidr`; `(file)` for the file as a whole. */
  readonly setting: string;
  readonly value: unknown;
  /** The value as written in the file, where JSON cannot show it (`1e400`). */
  readonly valueText?: string;
  /** What is wrong and what is allowed. */
  readonly message: string;
}

export function formatIssue(issue: ConfigIssue): string {
  const shown = issue.valueText ?? showValue(issue.value);
  return `${issue.setting || '(root)'}: ${issue.message}${shown === undefined ? '' : ` (got ${shown})`}`;
}

function showValue(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  // JSON.stringify turns Infinity and NaN into "null", which would hide the problem.
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value);
}

/** Thrown before anything is synthesized; lists every problem at once. */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(source: string, issues: readonly ConfigIssue[]) {
    super(`Invalid configuration (${source}):\n${issues.map((i) => `  - ${formatIssue(i)}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/**
 * A library's problems under their setting paths: `paths` maps each prop, as the library names
 * it, to its setting (`dataVolumeIops` -> `cockroach.dataVolume.iops`); the longest prop that
 * starts the problem's prop is used, and the rest carries over (`adminCidrs[2]`,
 * `sqlUsers.hydra`). Props the message names are renamed too, so it speaks the file's language.
 */
export function issuesOfProblems(problems: readonly PropProblem[], paths: Readonly<Record<string, string>>): ConfigIssue[] {
  const props = Object.keys(paths).sort((a, b) => b.length - a.length);
  const rename = (text: string) => text.replace(new RegExp(`(?<![\\w.])(${props.map(escape).join('|')})(?![\\w])`, 'g'), (prop) => paths[prop] ?? prop);
  return problems.map((problem) => {
    const prop = props.find((p) => problem.prop === p || problem.prop.startsWith(`${p}.`) || problem.prop.startsWith(`${p}[`));
    if (prop === undefined) throw new Error(`no setting path for the library prop ${problem.prop}`);
    return { setting: `${paths[prop]}${problem.prop.slice(prop.length)}`, value: problem.value, message: rename(problem.message) };
  });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
