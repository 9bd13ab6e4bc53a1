import { runbookAnchorOf } from '@crdb-ory/core';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { assert, describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT, stackJson, synthesizeTo, withOperatorAccess } from './helpers';

const runbook = readFileSync(join(WORKSPACE_ROOT, 'docs/operations.md'), 'utf8');
/** Every stack with every alarm it can have: a public load balancer too. */
const outdir = synthesizeTo(withOperatorAccess({ publicAccessCidrs: ['203.0.113.0/24'], monitoring: { alarmSubscriptions: [{ protocol: 'email', endpoint: 'oncall@example.com' }] } }));
const alarms = readdirSync(join(outdir, 'stacks')).flatMap((stack) =>
  Object.values<any>(stackJson(outdir, stack).resource?.aws_cloudwatch_metric_alarm ?? {}).map((alarm) => ({ stack, name: alarm.alarm_name as string, description: alarm.alarm_description as string })),
);
const anchors = [...runbook.matchAll(/<a id="(alarm-[a-z0-9-]+)"><\/a>/g)].map((m) => m[1]);

describe('the runbook (docs/operations.md)', () => {
  it('has an entry for every alarm of every stack, which the alarm\'s description links to', () => {
    expect(alarms.length).toBeGreaterThanOrEqual(17);
    for (const alarm of alarms) {
      const anchor = runbookAnchorOf(alarm.description);
      expect(anchor, `${alarm.stack} ${alarm.name}: ${alarm.description}`).toBeDefined();
      expect(anchors, `${alarm.name} links to #${anchor}`).toContain(anchor);
    }
  });

  it('has no entry for an alarm that does not exist', () => {
    const used = new Set(alarms.map((a) => runbookAnchorOf(a.description)));
    expect(anchors.filter((anchor) => !used.has(anchor))).toEqual([]);
  });

  it('names each alarm in its entry (node alarms with N for the node number)', () => {
    for (const alarm of alarms) {
      const entry = runbook.slice(runbook.indexOf(`<a id="${runbookAnchorOf(alarm.description)}"></a>`)).split('\n')[1];
      assert.exists(entry, `${alarm.name}: the line after its runbook anchor`);
      expect(entry, alarm.name).toContain(alarm.name.replace(/^crdb-ory-/, '').replace(/node-\d-/, 'node-N-'));
    }
  });

  it('covers every procedure, each with what to check before and after', () => {
    for (const heading of ['## Roll the nodes', '## Upgrade CockroachDB', '## Renew certificates', '## Backups', '## Restore', '## Alarms', '## Checks before and after every procedure']) {
      expect(runbook).toContain(heading);
    }
    for (const procedure of ['## Roll the nodes', '## Upgrade CockroachDB', '## Renew certificates', '## Restore']) {
      const start = runbook.indexOf(procedure);
      const body = runbook.slice(start, runbook.indexOf('\n## ', start + procedure.length));
      expect(body, procedure).toMatch(/\bBefore\b/);
      expect(body, procedure).toMatch(/\bAfter\b/);
    }
  });
});
