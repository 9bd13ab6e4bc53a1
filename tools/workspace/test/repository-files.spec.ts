import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const wordsBefore = (text: string, marker: string) => {
  const at = text.indexOf(marker);
  expect(at, marker).toBeGreaterThan(0);
  return text.slice(0, at).split(/\s+/).filter(Boolean).length;
};

describe('the README is written for users first', () => {
  const readme = read('README.md');

  it('says what this is, then the two commands, configure, deploy, verify, operate and tear down, in that order', () => {
    expect(readme.split('\n').filter((line) => line.startsWith('## '))).toEqual(['## The two commands', '## Configure', '## Deploy', '## Verify', '## Operate', '## Tear down', '## More']);
  });

  it('is short: the setup commands within the first 150 words, the deploy order within the first 500', () => {
    expect(wordsBefore(readme, 'npm ci && npm run synth')).toBeLessThan(150);
    expect(wordsBefore(readme, 'deploy state')).toBeLessThan(500);
    expect(readme.split(/\s+/).filter(Boolean).length).toBeLessThan(800);
  });

  it('links the teardown runbook, the contributors\' guide, the changelog and the licence', () => {
    expect(readme).toContain('](docs/operations.md#tear-down-an-environment)');
    for (const file of ['CONTRIBUTING.md', 'CHANGELOG.md', 'LICENSE', 'docs/configuration.md', 'docs/architecture.md']) expect(readme).toContain(`](${file})`);
  });

  it('leaves how it is tested, the emulator\'s gaps and the test prerequisites to CONTRIBUTING.md', () => {
    for (const contributorsOnly of ['moto', 'shellcheck', 'openssl', 'vitest', 'esbuild', 'Verdaccio', 'mock_provider']) expect(readme).not.toContain(contributorsOnly);
    const guide = read('CONTRIBUTING.md');
    for (const heading of ['## Prerequisites', '## How the two commands run', '## The shipped commands run from a clean clone', '## What is tested offline, and what is not']) expect(guide).toContain(heading);
    expect(guide).toContain('not worked around: moto does not enforce load balancer deletion protection');
  });
});

describe('the licence and the changelog', () => {
  it('LICENSE is the Apache License 2.0 as the Apache Software Foundation distributes it (the license every package.json names)', () => {
    // https://www.apache.org/licenses/LICENSE-2.0.txt: 11358 bytes, this SHA-256.
    expect(createHash('sha256').update(read('LICENSE')).digest('hex')).toBe('cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30');
    expect(JSON.parse(read('package.json')).license).toBe('Apache-2.0');
  });

  it('CHANGELOG.md has an Unreleased section first, for the entries of changes not yet released', () => {
    const headings = read('CHANGELOG.md').split('\n').filter((line) => line.startsWith('## '));
    expect(headings[0]).toBe('## Unreleased');
  });
});
