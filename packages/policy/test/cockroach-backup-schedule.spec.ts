import { assert, describe, expect, it } from 'vitest';
import { COCKROACH_BACKUP_SCHEDULE, CRDB_ORY_PACK, evaluateStack, suppressRule } from '../src';
import { BOOT, node, watchedCluster } from './cockroach-fixture';
import { CONTEXT, findings, fixtureStack } from './fixture';

describe('CRDB-BACKUP-001 CockroachDB backup schedule', () => {
  it('passes a cluster whose node bootstrap creates a backup schedule, and a stack without CockroachDB', () => {
    expect(findings(COCKROACH_BACKUP_SCHEDULE, (s) => watchedCluster(s))).toEqual([]);
    expect(findings(COCKROACH_BACKUP_SCHEDULE, (s) => node(s, 'web', '#!/bin/bash\nnginx'))).toEqual([]);
  });

  it('fails a cluster without one, on its first node', () => {
    const result = findings(COCKROACH_BACKUP_SCHEDULE, (s) => watchedCluster(s, BOOT));
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ ruleId: 'CRDB-BACKUP-001', constructPath: 'fixture/node-1' });
    assert.exists(result[0], 'a finding');
    expect(result[0].message).toContain('none of the 2 CockroachDB nodes creates a backup schedule');
  });

  it('does not take a schedule into local storage (nodelocal) for a backup', () => {
    const nodelocal = "CREATE SCHEDULE b FOR BACKUP INTO 'nodelocal://1/backups' RECURRING '@daily';";
    expect(findings(COCKROACH_BACKUP_SCHEDULE, (s) => watchedCluster(s, `${BOOT}\n${nodelocal}`))).toHaveLength(1);
  });

  it('is silenced only by an explicit suppression with a reason, which the report keeps', () => {
    const stack = fixtureStack();
    watchedCluster(stack, BOOT);
    suppressRule(stack, 'CRDB-BACKUP-001', 'test environment, rebuilt from fixtures every night');
    const report = evaluateStack(stack, CRDB_ORY_PACK, CONTEXT);
    expect(report.findings.filter((f) => f.ruleId === 'CRDB-BACKUP-001')).toEqual([]);
    expect(report.suppressed.map((f) => [f.ruleId, f.reason])).toEqual([['CRDB-BACKUP-001', 'test environment, rebuilt from fixtures every night']]);
  });
});

