import { randomBytes } from 'node:crypto';
import { query } from './database';
import { expectOneRow, expectThat, type FlowRun } from './flow';
import { rowsMissingCause, type FlowContext } from './flow-context';
import { callApi } from './http-api';
import { abbreviateHash, looksLikeOryHash } from './ory-hashes';

interface TestIdentity {
  readonly email: string;
  readonly password: string;
  readonly first: string;
  readonly last: string;
}

/** A unique identity per run: an example.com address (reserved, never delivered) and a random password. */
export function testIdentity(runId: string): TestIdentity {
  return { email: `crdb-ory-verify+${runId}@example.com`, password: `${randomBytes(24).toString('base64url')}-Aa1`, first: 'Verify', last: runId };
}

async function startFlow(run: FlowRun, ctx: FlowContext, kind: 'registration' | 'login'): Promise<string> {
  const { publicUrl } = ctx.target.urls;
  return run.step(`api: ${kind} flow (native)`, async () => {
    const { body } = await callApi({ method: 'GET', url: `${publicUrl}/self-service/${kind}/api`, expect: [200] }, ctx.timeoutMs);
    expectThat(typeof body?.id === 'string', 'api', `GET ${publicUrl}/self-service/${kind}/api answered without a flow id`, 'not Kratos\'s public API');
    return { value: body.id as string, record: [{ flow_id: body.id, type: body.type, expires_at: body.expires_at }] };
  });
}

async function register(run: FlowRun, ctx: FlowContext, person: TestIdentity): Promise<string> {
  const { publicUrl, adminUrl } = ctx.target.urls;
  const flowId = await startFlow(run, ctx, 'registration');
  const identityId = await run.step('api: register identity (password)', async () => {
    const { body } = await callApi({
      method: 'POST',
      url: `${publicUrl}/self-service/registration?flow=${encodeURIComponent(flowId)}`,
      json: { method: 'password', password: person.password, traits: { email: person.email, name: { first: person.first, last: person.last } } },
      expect: [200],
    }, ctx.timeoutMs);
    expectThat(typeof body?.identity?.id === 'string', 'api', 'registration answered without identity.id', 'not Kratos, or an incompatible version');
    expectThat(typeof body?.session_token === 'string', 'api', 'registration answered without session_token', 'Kratos needs selfservice.flows.registration.after.password.hooks: [{hook: session}] to return a session token');
    return { value: body.identity.id as string, record: [{ identity_id: body.identity.id, email: body.identity.traits?.email, state: body.identity.state }] };
  });
  run.onCleanup('delete identity (admin)', async () => {
    await callApi({ method: 'DELETE', url: `${adminUrl}/admin/identities/${encodeURIComponent(identityId)}`, expect: [204] }, ctx.timeoutMs);
    const rows = await query(ctx.db, ctx.target.db, ctx.timeoutMs, 'SELECT id FROM identities WHERE id = $1', [identityId]);
    expectThat(rows.length === 0, 'mismatch', `identities still has ${identityId} after DELETE answered 204`, 'Kratos deleted from another database than the one checked');
  });
  return identityId;
}

async function login(run: FlowRun, ctx: FlowContext, person: TestIdentity, identityId: string): Promise<string> {
  const { publicUrl } = ctx.target.urls;
  const flowId = await startFlow(run, ctx, 'login');
  return run.step('api: login (password)', async () => {
    const { body } = await callApi({ method: 'POST', url: `${publicUrl}/self-service/login?flow=${encodeURIComponent(flowId)}`, json: { method: 'password', identifier: person.email, password: person.password }, expect: [200] }, ctx.timeoutMs);
    expectThat(typeof body?.session_token === 'string', 'api', 'login answered without session_token', 'not a native (api) login flow');
    expectThat(body?.session?.identity?.id === identityId, 'mismatch', `login session belongs to identity ${String(body?.session?.identity?.id)}, expected ${identityId}`, 'another identity has this email');
    return { value: body.session_token as string, record: [{ session_id: body.session?.id, identity_id: body.session?.identity?.id, active: body.session?.active }] };
  });
}

async function whoami(run: FlowRun, ctx: FlowContext, sessionToken: string, identityId: string): Promise<void> {
  const { publicUrl } = ctx.target.urls;
  await run.step('api: whoami (session token)', async () => {
    const { body } = await callApi({ method: 'GET', url: `${publicUrl}/sessions/whoami`, headers: { 'x-session-token': sessionToken }, expect: [200] }, ctx.timeoutMs);
    expectThat(body?.active === true && body?.identity?.id === identityId, 'mismatch', `whoami answered ${JSON.stringify({ active: body?.active, identity: body?.identity?.id })}, expected an active session of ${identityId}`, 'Kratos cannot find the session it just issued: replicas on different databases or secrets');
    return { value: undefined, record: [{ session_id: body.id, active: body.active, identity_id: body.identity.id, email: body.identity.traits?.email, aal: body.authenticator_assurance_level }] };
  });
}

const IDENTITY_SQL = `
SELECT i.id, i.traits->>'email' AS email, i.traits->'name'->>'first' AS first_name, i.traits->'name'->>'last' AS last_name,
       ict.name AS credential_type, ici.identifier, ic.config->>'hashed_password' AS hashed_password
  FROM identities i
  JOIN identity_credentials ic ON ic.identity_id = i.id
  JOIN identity_credential_types ict ON ict.id = ic.identity_credential_type_id
  JOIN identity_credential_identifiers ici ON ici.identity_credential_id = ic.id
 WHERE i.id = $1 AND ict.name = 'password'`;

async function identityRows(run: FlowRun, ctx: FlowContext, person: TestIdentity, identityId: string): Promise<void> {
  await run.step('sql: identity + password credential', async () => {
    const rows = await query(ctx.db, ctx.target.db, ctx.timeoutMs, IDENTITY_SQL, [identityId]);
    const row = expectOneRow(rows, `no identity ${identityId} with a password credential in identities/identity_credentials/identity_credential_identifiers`, rowsMissingCause('Kratos', ctx.target));
    expectThat(row['email'] === person.email && row['first_name'] === person.first && row['last_name'] === person.last, 'mismatch', `identity traits differ: ${JSON.stringify({ email: row['email'], first: row['first_name'], last: row['last_name'] })}`, 'the identity schema maps traits differently (expects email, name.first, name.last)');
    expectThat(String(row['identifier']).toLowerCase() === person.email.toLowerCase(), 'mismatch', `login identifier is ${String(row['identifier'])}, expected ${person.email}`, 'the identity schema does not mark email as the password identifier');
    const hash = String(row['hashed_password'] ?? '');
    expectThat(looksLikeOryHash(hash) && !hash.includes(person.password), 'mismatch', 'identity_credentials.config.hashed_password is not a password hash', 'Kratos must store the password hashed (hashers: bcrypt or argon2)');
    return { value: undefined, record: [{ ...row, hashed_password: abbreviateHash(hash) }] };
  });
}

/** Kratos: native registration, login and whoami; then the identity, its traits and hashed password in SQL. */
export async function runKratosFlow(run: FlowRun, ctx: FlowContext): Promise<void> {
  const person = testIdentity(ctx.runId);
  const identityId = await register(run, ctx, person);
  const sessionToken = await login(run, ctx, person, identityId);
  await whoami(run, ctx, sessionToken, identityId);
  await identityRows(run, ctx, person, identityId);
}
