/** One thing wrong with the configuration: which setting, its value, and what is allowed. */
export interface ConfigIssue {
  /** Dotted path of the setting, e.g. `network.oryVpc.cidr`. */
  readonly setting: string;
  readonly value: unknown;
  /** What is wrong and what is allowed. */
  readonly message: string;
}

export function formatIssue(issue: ConfigIssue): string {
  const value = issue.value === undefined ? '' : ` (got ${JSON.stringify(issue.value)})`;
  return `${issue.setting || '(root)'}: ${issue.message}${value}`;
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

/** A library validator run for one setting: a thrown error becomes that setting's issue. */
export interface SettingCheck {
  readonly setting: string;
  readonly value: unknown;
  readonly check: () => void;
}

/** The issues of the checks that throw, each naming its setting (the library's message says what is allowed). */
export function runSettingChecks(checks: readonly SettingCheck[]): ConfigIssue[] {
  return checks.flatMap(({ setting, value, check }) => {
    try {
      check();
      return [];
    } catch (error) {
      return [{ setting, value, message: (error as Error).message }];
    }
  });
}
