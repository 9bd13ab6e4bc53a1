import { query } from './database';
import { readUrlsOf, rowsMissingCause, type FlowContext } from './flow-context';
import { expectOneRow, expectThat, type FlowRun } from './flow';
import { callApi } from './http-api';
import { abbreviateHash, hydraAccessTokenSignature, looksLikeOryHash, verifyPbkdf2 } from './ory-hashes';

const SCOPE = 'crdb-ory-verify';

interface CreatedClient {
  clientId: string;
  clientSecret: string;
}

async function createClient(run: FlowRun, ctx: FlowContext): Promise<CreatedClient> {
  const { adminUrl } = ctx.target.urls;
  const created = await run.step('api: create OAuth2 client (admin)', async () => {
    const { body } = await callApi({
      method: 'POST',
      url: `${adminUrl}/admin/clients`,
      json: { client_name: `crdb-ory-verify ${ctx.runId}`, grant_types: ['client_credentials'], response_types: ['token'], scope: SCOPE, token_endpoint_auth_method: 'client_secret_basic', metadata: { created_by: 'crdb-ory-verify' } },
      expect: [201],
    }, ctx.timeoutMs);
    expectThat(typeof body?.client_id === 'string' && typeof body?.client_secret === 'string', 'api', `POST ${adminUrl}/admin/clients answered without client_id/client_secret`, 'not Hydra\'s admin API, or an incompatible Hydra version');
    return { value: { clientId: body.client_id as string, clientSecret: body.client_secret as string }, record: [{ client_id: body.client_id, client_name: body.client_name, grant_types: body.grant_types, scope: body.scope }] };
  });
  run.onCleanup('delete OAuth2 client (admin)', async () => {
    await callApi({ method: 'DELETE', url: `${adminUrl}/admin/clients/${encodeURIComponent(created.clientId)}`, expect: [204] }, ctx.timeoutMs);
    const rows = await query(ctx.db, ctx.target.db, ctx.timeoutMs, 'SELECT id FROM hydra_client WHERE id = $1', [created.clientId]);
    expectThat(rows.length === 0, 'mismatch', `hydra_client still has ${created.clientId} after DELETE answered 204`, 'Hydra deleted from another database than the one checked');
  });
  return created;
}

async function issueToken(run: FlowRun, ctx: FlowContext, client: CreatedClient): Promise<string> {
  const { publicUrl } = ctx.target.urls;
  return run.step('api: client_credentials token (public)', async () => {
    const basic = Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64');
    const { body } = await callApi({ method: 'POST', url: `${publicUrl}/oauth2/token`, headers: { authorization: `Basic ${basic}` }, form: { grant_type: 'client_credentials', scope: SCOPE }, expect: [200] }, ctx.timeoutMs);
    expectThat(typeof body?.access_token === 'string', 'api', `POST ${publicUrl}/oauth2/token answered without access_token`, 'not Hydra\'s public API');
    return { value: body.access_token as string, record: [{ token_type: body.token_type, expires_in: body.expires_in, scope: body.scope }] };
  });
}

async function introspect(run: FlowRun, ctx: FlowContext, client: CreatedClient, token: string): Promise<void> {
  const { adminUrl } = readUrlsOf(ctx);
  await run.step('api: introspect token (admin)', async () => {
    const { body } = await callApi({ method: 'POST', url: `${adminUrl}/admin/oauth2/introspect`, form: { token }, expect: [200] }, ctx.timeoutMs);
    expectThat(body?.active === true, 'mismatch', `introspection says the new token is not active: ${JSON.stringify(body)}`, 'Hydra cannot find the token it just issued: its replicas use different databases or system secrets');
    expectThat(body?.client_id === client.clientId, 'mismatch', `introspection names client ${String(body?.client_id)}, expected ${client.clientId}`, 'the token belongs to another client');
    return { value: undefined, record: [{ active: body.active, client_id: body.client_id, sub: body.sub, scope: body.scope, token_type: body.token_type }] };
  });
}

async function clientRow(run: FlowRun, ctx: FlowContext, client: CreatedClient): Promise<void> {
  await run.step('sql: hydra_client row', async () => {
    const rows = await query(ctx.db, ctx.target.db, ctx.timeoutMs, 'SELECT id, client_name, scope, grant_types, token_endpoint_auth_method, client_secret FROM hydra_client WHERE id = $1', [client.clientId]);
    const row = expectOneRow(rows, `hydra_client has no row with id = ${client.clientId}`, rowsMissingCause('Hydra', ctx.target));
    const stored = String(row['client_secret']);
    const grantTypes = typeof row['grant_types'] === 'string' ? JSON.parse(row['grant_types']) : row['grant_types'];
    expectThat(row['scope'] === SCOPE && Array.isArray(grantTypes) && grantTypes.includes('client_credentials'), 'mismatch', `hydra_client row differs from the created client: scope ${String(row['scope'])}, grant_types ${JSON.stringify(grantTypes)}`, 'another client with this id, or Hydra rewrote it');
    expectThat(stored !== client.clientSecret && !stored.includes(client.clientSecret) && looksLikeOryHash(stored), 'mismatch', 'hydra_client.client_secret is not a hash of the secret', 'Hydra must store client secrets hashed (oauth2.hashers: pbkdf2 or bcrypt)');
    expectThat(verifyPbkdf2(client.clientSecret, stored) !== false, 'mismatch', 'hydra_client.client_secret is a PBKDF2 hash of another secret', 'the row belongs to another client');
    return { value: undefined, record: [{ ...row, client_secret: abbreviateHash(stored), grant_types: grantTypes }] };
  });
}

async function tokenRow(run: FlowRun, ctx: FlowContext, client: CreatedClient, token: string): Promise<void> {
  await run.step('sql: hydra_oauth2_access row', async () => {
    const signature = hydraAccessTokenSignature(token);
    const rows = await query(ctx.db, ctx.target.db, ctx.timeoutMs, 'SELECT signature, client_id, subject, granted_scope, active, requested_at FROM hydra_oauth2_access WHERE signature = $1', [signature]);
    const row = expectOneRow(rows, `hydra_oauth2_access has no row with signature = ${abbreviateHash(signature)} (SHA-384 of the token's signature)`, rowsMissingCause('Hydra', ctx.target));
    expectThat(row['client_id'] === client.clientId && row['subject'] === client.clientId, 'mismatch', `hydra_oauth2_access row names client ${String(row['client_id'])} / subject ${String(row['subject'])}, expected ${client.clientId}`, 'the token row belongs to another client');
    return { value: undefined, record: [{ ...row, signature: abbreviateHash(String(row['signature'])) }] };
  });
}

/** Hydra: client on the admin API, token on the public API, introspection; then both rows in SQL. */
export async function runHydraFlow(run: FlowRun, ctx: FlowContext): Promise<void> {
  const client = await createClient(run, ctx);
  const token = await issueToken(run, ctx, client);
  await introspect(run, ctx, client, token);
  await clientRow(run, ctx, client);
  await tokenRow(run, ctx, client, token);
}
