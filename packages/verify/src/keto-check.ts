import { query } from './database';
import { expectThat, type FlowRun } from './flow';
import { readUrlsOf, rowsMissingCause, type FlowContext } from './flow-context';
import { callApi } from './http-api';
import { ketoUuid } from './keto-uuid';

export interface RelationTuple {
  readonly namespace: string;
  readonly object: string;
  readonly relation: string;
  readonly subject_id: string;
}

const RELATION = 'viewer';

/**
 * The tuple a verifier writes: the same object and subject strings on every run, so Keto's
 * UUID mappings (which Keto never deletes) are reused instead of piling up, one pair per
 * `--keto-verifier-id`.
 */
export function verifierTuple(namespace: string, verifierId: string): RelationTuple {
  return { namespace, object: `${verifierId}:document`, relation: RELATION, subject_id: `${verifierId}:user` };
}

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
  const { readUrl } = readUrlsOf(ctx);
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
  const { readUrl } = readUrlsOf(ctx);
  await run.step('api: expand (read)', async () => {
    const params = new URLSearchParams({ namespace: tuple.namespace, object: tuple.object, relation: tuple.relation, 'max-depth': '3' });
    const { body } = await callApi({ method: 'GET', url: `${readUrl}/relation-tuples/expand?${params}`, expect: [200] }, ctx.timeoutMs);
    const subjects = leafSubjects(body);
    expectThat(subjects.includes(tuple.subject_id), 'mismatch', `expand of ${tuple.namespace}:${tuple.object}#${tuple.relation} lists ${JSON.stringify(subjects)}, not ${tuple.subject_id}`, 'Keto\'s read API does not see the write');
    return { value: undefined, record: [{ type: body?.type, subjects: subjects.join(', ') }] };
  });
}

/** Keto's network: the oldest row of `networks`, as Keto picks it on start. */
const NETWORK_SQL = 'SELECT id FROM networks ORDER BY created_at ASC, id ASC LIMIT 1';

/**
 * The tuple's row by Keto's own index (nid, namespace, object, relation, subject_id, with no
 * subject set): object and subject are their UUIDv5s, then mapped back to strings by primary key.
 */
export const KETO_TUPLE_SQL = `
SELECT t.nid, t.namespace, t.object, o.string_representation AS object_string, t.relation, t.subject_id, s.string_representation AS subject_string, t.commit_time
  FROM keto_relation_tuples t
  LEFT JOIN keto_uuid_mappings o ON o.id = t.object
  LEFT JOIN keto_uuid_mappings s ON s.id = t.subject_id
 WHERE t.nid = $1 AND t.namespace = $2 AND t.object = $3 AND t.relation = $4 AND t.subject_id = $5
   AND t.subject_set_namespace IS NULL AND t.subject_set_object IS NULL AND t.subject_set_relation IS NULL`;

async function networkId(ctx: FlowContext): Promise<string> {
  const [row] = await query(ctx.db, ctx.target.db, ctx.timeoutMs, NETWORK_SQL);
  expectThat(typeof row?.['id'] === 'string', 'rows-missing', `${ctx.target.db.database} has no row in networks`, 'Keto has never started against this database (it creates its network on first start)');
  return String(row?.['id']);
}

async function selectTuple(ctx: FlowContext, tuple: RelationTuple) {
  const nid = await networkId(ctx);
  return query(ctx.db, ctx.target.db, ctx.timeoutMs, KETO_TUPLE_SQL, [nid, tuple.namespace, ketoUuid(nid, tuple.object), tuple.relation, ketoUuid(nid, tuple.subject_id)]);
}

async function tupleRow(run: FlowRun, ctx: FlowContext, tuple: RelationTuple): Promise<void> {
  await run.step('sql: relation tuple (by UUIDv5) and its keto_uuid_mappings', async () => {
    const rows = await selectTuple(ctx, tuple);
    expectThat(rows.length > 0, 'rows-missing', `keto_relation_tuples has no row for ${describeTuple(tuple)} (object and subject as UUIDv5 of the network id)`, rowsMissingCause('Keto', ctx.target));
    const [row] = rows;
    expectThat(row?.['object_string'] === tuple.object && row?.['subject_string'] === tuple.subject_id, 'mismatch', `keto_uuid_mappings maps the tuple's UUIDs to ${JSON.stringify([row?.['object_string'], row?.['subject_string']])}, expected ${JSON.stringify([tuple.object, tuple.subject_id])}`, 'Keto uses another network id than the oldest row of networks, or the mappings are missing');
    return { value: undefined, record: rows };
  });
}

function describeTuple(t: RelationTuple): string {
  return `${t.namespace}:${t.object}#${t.relation}@${t.subject_id}`;
}

/** Keto: write a tuple, check it (allowed) and an absent one (denied), expand; then the tuple in SQL. */
export async function runKetoFlow(run: FlowRun, ctx: FlowContext): Promise<void> {
  const tuple = verifierTuple(ctx.ketoNamespace, ctx.ketoVerifierId);
  await writeTuple(run, ctx, tuple);
  await check(run, ctx, tuple, true);
  // Checks only read the mappings (Keto never writes one for a check): this string adds none.
  await check(run, ctx, { ...tuple, subject_id: `${tuple.subject_id}-absent` }, false);
  await expand(run, ctx, tuple);
  await tupleRow(run, ctx, tuple);
}
