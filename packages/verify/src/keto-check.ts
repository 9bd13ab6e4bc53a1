import { query } from './database';
import { expectOneRow, expectThat, type FlowRun } from './flow';
import { rowsMissingCause, type FlowContext } from './flow-context';
import { callApi } from './http-api';

export interface RelationTuple {
  readonly namespace: string;
  readonly object: string;
  readonly relation: string;
  readonly subject_id: string;
}

const RELATION = 'viewer';

function tupleQuery(tuple: RelationTuple): string {
  return new URLSearchParams({ namespace: tuple.namespace, object: tuple.object, relation: tuple.relation, subject_id: tuple.subject_id }).toString();
}

async function writeTuple(run: FlowRun, ctx: FlowContext, tuple: RelationTuple): Promise<void> {
  const { writeUrl } = ctx.target.urls;
  await run.step('api: write relation tuple (write)', async () => {
    const { body } = await callApi({ method: 'PUT', url: `${writeUrl}/admin/relation-tuples`, json: tuple, expect: [201] }, ctx.timeoutMs);
    return { value: undefined, record: [body ?? tuple] };
  });
  run.onCleanup('delete relation tuple (write)', async () => {
    await callApi({ method: 'DELETE', url: `${writeUrl}/admin/relation-tuples?${tupleQuery(tuple)}`, expect: [204] }, ctx.timeoutMs);
    const rows = await selectTuple(ctx, tuple);
    expectThat(rows.length === 0, 'mismatch', `keto_relation_tuples still has ${describeTuple(tuple)} after DELETE answered 204`, 'Keto deleted from another database than the one checked');
  });
}

async function check(run: FlowRun, ctx: FlowContext, tuple: RelationTuple, expected: boolean): Promise<void> {
  const { readUrl } = ctx.target.urls;
  await run.step(`api: check ${expected ? 'written tuple (allowed)' : 'absent tuple (denied)'} (read)`, async () => {
    // Keto answers 200 for allowed and 403 for denied.
    const { status, body } = await callApi({ method: 'GET', url: `${readUrl}/relation-tuples/check?${tupleQuery(tuple)}`, expect: [200, 403] }, ctx.timeoutMs);
    expectThat(body?.allowed === expected && status === (expected ? 200 : 403), 'mismatch', `check of ${describeTuple(tuple)} answered ${status} allowed=${String(body?.allowed)}, expected ${expected ? '200 allowed=true' : '403 allowed=false'}`, expected ? 'Keto\'s read API does not see the write: read and write replicas use different databases' : 'Keto allows a relation nobody wrote: an unexpected namespace config (subject sets/rewrites)');
    return { value: undefined, record: [{ ...tuple, status, allowed: body?.allowed }] };
  });
}

function leafSubjects(tree: any): string[] { // eslint-disable-line @typescript-eslint/no-explicit-any -- Keto's expand tree
  if (!tree || typeof tree !== 'object') return [];
  const own = typeof tree.tuple?.subject_id === 'string' ? [tree.tuple.subject_id as string] : [];
  return [...own, ...(Array.isArray(tree.children) ? tree.children.flatMap(leafSubjects) : [])];
}

async function expand(run: FlowRun, ctx: FlowContext, tuple: RelationTuple): Promise<void> {
  const { readUrl } = ctx.target.urls;
  await run.step('api: expand (read)', async () => {
    const params = new URLSearchParams({ namespace: tuple.namespace, object: tuple.object, relation: tuple.relation, 'max-depth': '3' });
    const { body } = await callApi({ method: 'GET', url: `${readUrl}/relation-tuples/expand?${params}`, expect: [200] }, ctx.timeoutMs);
    const subjects = leafSubjects(body);
    expectThat(subjects.includes(tuple.subject_id), 'mismatch', `expand of ${tuple.namespace}:${tuple.object}#${tuple.relation} lists ${JSON.stringify(subjects)}, not ${tuple.subject_id}`, 'Keto\'s read API does not see the write');
    return { value: undefined, record: [{ type: body?.type, subjects: subjects.join(', ') }] };
  });
}

const TUPLE_SQL = `
SELECT t.nid, t.namespace, o.string_representation AS object, t.relation, s.string_representation AS subject_id, t.commit_time
  FROM keto_relation_tuples t
  JOIN networks n ON n.id = t.nid
  JOIN keto_uuid_mappings o ON o.id = t.object
  JOIN keto_uuid_mappings s ON s.id = t.subject_id
 WHERE t.namespace = $1 AND o.string_representation = $2 AND t.relation = $3 AND s.string_representation = $4`;

function selectTuple(ctx: FlowContext, tuple: RelationTuple) {
  return query(ctx.db, ctx.target.db, ctx.timeoutMs, TUPLE_SQL, [tuple.namespace, tuple.object, tuple.relation, tuple.subject_id]);
}

async function tupleRow(run: FlowRun, ctx: FlowContext, tuple: RelationTuple): Promise<void> {
  await run.step('sql: relation tuple via keto_uuid_mappings', async () => {
    const rows = await selectTuple(ctx, tuple);
    expectOneRow(rows, `keto_relation_tuples has no row for ${describeTuple(tuple)} (joined through keto_uuid_mappings)`, rowsMissingCause('Keto', ctx.target));
    return { value: undefined, record: rows };
  });
}

function describeTuple(t: RelationTuple): string {
  return `${t.namespace}:${t.object}#${t.relation}@${t.subject_id}`;
}

/** Keto: write a tuple, check it (allowed) and an absent one (denied), expand; then the tuple in SQL. */
export async function runKetoFlow(run: FlowRun, ctx: FlowContext): Promise<void> {
  const tuple: RelationTuple = { namespace: ctx.ketoNamespace, object: `verify-doc-${ctx.runId}`, relation: RELATION, subject_id: `verify-user-${ctx.runId}` };
  await writeTuple(run, ctx, tuple);
  await check(run, ctx, tuple, true);
  await check(run, ctx, { ...tuple, subject_id: `${tuple.subject_id}-absent` }, false);
  await expand(run, ctx, tuple);
  await tupleRow(run, ctx, tuple);
}
