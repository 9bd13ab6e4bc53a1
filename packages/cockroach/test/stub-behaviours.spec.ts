import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { behaviourTableFile, modelledIds, parseBehaviourTable, readBehaviourTable, stubNames } from './stub-behaviours';
import { STUB_PROBES } from './stub-probes';
import { StubSandbox } from './stub-sandbox';

// Every stub answers to upstream (test/stubs/README.md): each behaviour it models is a row of its
// table with a source, the code marks each, and each row's probe goes through it.
describe('stub behaviour tables', () => {
  it('cover every stub (each executable file in test/stubs)', () => {
    expect(stubNames()).toEqual(['aws', 'cockroach', 'logging-stub', 'terraform']);
    for (const stub of stubNames()) expect(existsSync(behaviourTableFile(stub)), `${stub} has no ${stub}.behaviours.md`).toBe(true);
    expect(Object.keys(STUB_PROBES).sort()).toEqual(stubNames());
  });

  it('refuse a row without a source, a source that is not a URL, a repeated id and unsorted rows', () => {
    const header = '| id | behaviour | source |\n|---|---|---|\n';
    expect(parseBehaviourTable(`${header}| b.row | does something cited | https://example.org/doc |\n`).problems).toEqual([]);
    expect(parseBehaviourTable(`${header}| b.row | does something uncited |  |\n`).problems).toEqual([expect.stringContaining('has no source')]);
    expect(parseBehaviourTable(`${header}| b.row | does something cited | our own belief |\n`).problems).toHaveLength(3);
    expect(parseBehaviourTable(`${header}| b.row | does something cited | https://x.org |\n| a.row | does something cited | https://x.org |\n`).problems).toEqual([expect.stringContaining('not sorted')]);
    expect(parseBehaviourTable(`${header}| a.row | does something cited | https://x.org |\n| a.row | does something cited | https://x.org |\n`).problems).toEqual([expect.stringContaining('twice')]);
  });

  for (const stub of stubNames()) {
    describe(stub, () => {
      const table = readBehaviourTable(stub);

      it('is well formed: every row has an id, what the stub does and an upstream source', () => {
        expect(table.problems).toEqual([]);
        expect(table.rows.length).toBeGreaterThan(0);
      });

      it('lists every behaviour the code models, and the code models every row', () => {
        const rows = table.rows.map((r) => r.id);
        const code = modelledIds(stub);
        expect(code.filter((id) => !rows.includes(id)), 'modelled in the code without a row (no source)').toEqual([]);
        expect(rows.filter((id) => !code.includes(id)), 'rows the code does not mark').toEqual([]);
      });

      it('has a probe for every row and no probe without a row', () => {
        const probes = Object.keys(STUB_PROBES[stub] ?? {}).sort();
        expect(table.rows.map((r) => r.id).filter((id) => !probes.includes(id)), 'rows without a probe').toEqual([]);
        expect(probes.filter((id) => !table.rows.some((r) => r.id === id)), 'probes without a row').toEqual([]);
      });

      for (const row of table.rows) {
        it(`${row.id}: the probe goes through the behaviour`, () => {
          const probe = STUB_PROBES[stub]?.[row.id];
          if (!probe) return expect.fail(`${row.id} has no probe in test/stub-probes/${stub}.ts`);
          const sandbox = new StubSandbox();
          probe(sandbox);
          expect(sandbox.exercised(), `the probe of ${row.id} did not run the stub code marked modelled('${row.id}')`).toContain(row.id);
        });
      }
    });
  }
});
