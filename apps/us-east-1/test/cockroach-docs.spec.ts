import { DEFAULT_SECRET_RECOVERY_WINDOW_DAYS, NAME_PREFIX_MAX_LENGTH, NAME_PREFIX_RULE } from '@crdb-ory/cockroach';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COCKROACH_DEFAULTS } from '@crdb-ory/deployment';
import { WORKSPACE_ROOT } from './helpers';

/** The CockroachDB docs say what the code does (issue 12 items 5, 14, 15, 16). */
const read = (path: string): string => readFileSync(join(WORKSPACE_ROOT, path), 'utf8');
const guide = read('docs/cockroach.md');
const packageReadme = read('packages/cockroach/README.md');
const readme = read('README.md');
const section = (text: string, heading: string): string => {
  const start = text.indexOf(heading);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const next = text.indexOf('\n## ', start + heading.length);
  return text.slice(start, next < 0 ? undefined : next);
};

describe('CockroachDB docs', () => {
  it('document every cockroach setting of the configuration, with the defaults that matter', () => {
    const settings = section(guide, '## Settings');
    for (const key of Object.keys(COCKROACH_DEFAULTS)) expect(settings).toMatch(new RegExp(`\\| [^|\\n]*\`${key}\`[^|\\n]*\\|`));
    expect(settings).toContain(`| \`secretRecoveryWindowDays\` | \`${DEFAULT_SECRET_RECOVERY_WINDOW_DAYS}\` |`);
    expect(settings).toContain(`| \`instanceType\` | \`${COCKROACH_DEFAULTS.instanceType}\` |`);
  });

  it('give the real namePrefix limit, as the library states its rule', () => {
    expect(read('docs/configuration.md')).toContain(`| \`namePrefix\` | \`crdb-ory\` | ${NAME_PREFIX_RULE};`);
    expect(guide).toContain(`at most ${NAME_PREFIX_MAX_LENGTH} characters`);
  });

  it('say that renewed client certificates reach Ory with a deploy of the ory stack, not a pod restart', () => {
    for (const text of [guide, packageReadme]) {
      expect(text).not.toMatch(/next pod restart/);
      expect(text).toMatch(/cdktf deploy ory/);
      expect(text).toMatch(/pod restart alone keeps the old certificate/);
    }
  });

  it('connect to SQL in a way that works: Session Manager port forwarding as the operations role and localhost, never the NLB from a node', () => {
    const connecting = section(guide, '## Connecting with `cockroach sql`');
    expect(connecting).toContain('output -raw port_forwarding_document_name');
    expect(connecting).toContain('output -raw session_document_name');
    expect(connecting).not.toContain('AWS-StartPortForwardingSession');
    expect(connecting).toContain('--host=localhost:26257');
    expect(connecting).toContain('node_instance_ids');
    expect(connecting).toMatch(/a session of the operations role/);
    for (const text of [guide, packageReadme]) expect(text).not.toMatch(/--host=sql\.<zone>/);
  });

  it('describe admin CIDRs as a declared opt-in the policy gate accepts, and never advise skipping validation', () => {
    expect(section(guide, '### Admin networks')).toMatch(/explicit opt-in[\s\S]*policy gate \(CRDB-SG-002\) accepts/);
    for (const text of [guide, packageReadme, readme, read('packages/policy/README.md')]) expect(text).not.toMatch(/skipValidation/);
  });

  it('describe the per-node procedure with the addresses and checks it needs', () => {
    const procedure = section(guide, '## Changing a node');
    for (const fact of ['ignore_changes', 'node-N_settings', 'node-N_running-settings', 'nodes_pending_replacement', "-replace='aws_instance.node-N_instance_", 'ranges.underreplicated', 'describe-target-health', 'systemctl stop cockroach']) {
      expect(procedure).toContain(fact);
    }
  });
});
