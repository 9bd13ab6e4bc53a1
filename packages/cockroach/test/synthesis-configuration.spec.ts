import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RollWorld } from './roll-world';

/**
 * `roll` and `restore` work on what `cdktf.out` holds. After switching configurations (another
 * CRDB_ORY_CONFIG, an edited crdb-ory.config.json) without synthesizing again, they would act on
 * the previous configuration's backend and nodes: they refuse, in one line, with the fix.
 */
const world = () => new RollWorld({ configured: 'v25.4.0', pending: [], cluster: { databases: ['hydra', 'keto', 'kratos'] } });
const STALE = /^crdb-ory-cockroach (roll|restore): cdktf\.out\/stacks\/cockroach was synthesized from the defaults \(no CRDB_ORY_CONFIG, no crdb-ory\.config\.json\), but the configuration now is crdb-ory\.config\.json, sha256 [0-9a-f]{12}: run `npm run synth` \(with the configuration you mean\), then this command again\.$/;

describe('roll and restore refuse a cdktf.out synthesized from another configuration', () => {
  it.each([
    ['roll', ['--dry-run']],
    ['restore', ['--database', 'hydra', '--dry-run']],
  ])('%s: the stack came from the defaults, the project now has a crdb-ory.config.json', (command, args) => {
    const w = world();
    writeFileSync(join(w.dir, 'crdb-ory.config.json'), '{ "namePrefix": "staging" }\n');
    const result = command === 'roll' ? w.roll(...args) : w.restore(...args);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(STALE)]);
    expect(result.stdout).toBe('');
    expect(w.events()).toEqual([]);
  });

  it('a cdktf.out without the record of its configuration (an older or foreign synthesis) is refused too', () => {
    const w = world();
    rmSync(join(w.dir, 'cdktf.out', 'configuration.json'));
    const result = w.roll('--dry-run');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^crdb-ory-cockroach roll: cdktf\.out\/stacks\/cockroach has no record of the configuration it was synthesized from \(cdktf\.out\/configuration\.json: an older or foreign synthesis\): run `npm run synth`/);
  });

  it('the configuration it was synthesized from passes the check', () => {
    expect(world().roll('--dry-run').status).toBe(0);
  });
});
