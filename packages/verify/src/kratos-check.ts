import { isDeepStrictEqual } from 'node:util';
import { query } from './database';
import { expectOneRow, expectThat, type FlowRun } from './flow';
import { readUrlsOf, rowsMissingCause, type FlowContext } from './flow-context';
import { callApi } from './http-api';
import { identityFromSchema, traitAt, type TestIdentity } from './identity-traits';
import { abbreviateHash, looksLikeOryHash } from './ory-hashes';

async function fetchIdentity(run: FlowRun, ctx: FlowContext): Promise<TestIdentity> {
  const { publicUrl } = ctx.target.urls;
  const id = ctx.kratosIdentitySchemaId;
  return run.step('api: identity schema (public)', async () => {
    const { body } = await callApi({ method: 'GET', url: `${publicUrl}/schemas/${encodeURIComponent(id)}`, expect: [200] }, ctx.timeoutMs);
    const identity = identityFromSchema(body, ctx.runId);
    return { value: identity, record: [{ schema_id: id, traits: Object.keys(identity.traits).join(', '), identifier: identity.identifierPath }] };
  });
}

async function startFlow(run: FlowRun, ctx: FlowContext, kind: 'registration' | 'login'): Promise<string> {
  // Registration where the flow writes; login where it reads back (another region's Kratos across regions).
  const { publicUrl } = kind === 'login' ? readUrlsOf(ctx) : ctx.target.urls;
  return run.step(`api: ${kind} flow (native)`, async () => {
    const { body } = await callApi({ method: 'GET', url: `${publicUrl}/self-service/${kind}/api`, expect: [200] }, ctx.timeoutMs);
    expectThat(typeof body?.id === 'string', 'api', `GET ${publicUrl}/self-service/${kind}/api answered without a flow id`, 'not Kratos\'s public API');
    return { value: body.id as string, record: [{ flow_id: body.id, type: body.type, expires_at: body.expires_at }] };
  });
}

async function register(run: FlowRun, ctx: FlowContext, person: TestIdentity): Promise<string> {
  const { publicUrl, adminUrl } = ctx.target.urls;
  const flowId = await startFlow(run, ctx, 'registration');
  return run.step('api: register identity (password)', async () => {
    const { body } = await callApi({
      method: 'POST',
      url: `${publicUrl}/self-service/registration?flow=${encodeURIComponent(flowId)}`,
      json: { method: 'password', password: person.password, traits: person.traits },
      expect: [200],
    }, ctx.timeoutMs);
    expectThat(typeof body?.identity?.id === 'string', 'api', 'registration answered without identity.id', 'not Kratos, or an incompatible version');
    const identityId = body.identity.id as string;
    // The identity exists from here on: its cleanup is registered before anything else can fail.
    run.onCleanup('delete identity (admin)', async () => {
      await callApi({ method: 'DELETE', url: `${adminUrl}/admin/identities/${encodeURIComponent(identityId)}`, expect: [204] }, ctx.timeoutMs);
      const rows = await query(ctx.db, ctx.target.db, ctx.timeoutMs, 'SELECT id FROM identities WHERE id = $1', [identityId]);
      expectThat(rows.length === 0, 'mismatch', `identities still has ${identityId} after DELETE answered 204`, 'Kratos deleted from another database than the one checked');
    });
    expectThat(typeof body?.session_token === 'string', 'api', 'registration answered without session_token', 'Kratos needs selfservice.flows.registration.after.password.hooks: [{hook: session}] to return a session token');
    return { value: identityId, record: [{ identity_id: identityId, identifier: traitAt(body.identity.traits ?? {}, person.identifierPath), state: body.identity.state }] };
  });
}

async function login(run: FlowRun, ctx: FlowContext, person: TestIdentity, identityId: string): Promise<string> {
  const { publicUrl } = readUrlsOf(ctx);
  const flowId = await startFlow(run, ctx, 'login');
  return run.step('api: login (password)', async () => {
    const { body } = await callApi({ method: 'POST', url: `${publicUrl}/self-service/login?flow=${encodeURIComponent(flowId)}`, json: { method: 'password', identifier: person.identifier, password: person.password }, expect: [200] }, ctx.timeoutMs);
    expectThat(typeof body?.session_token === 'string', 'api', 'login answered without session_token', 'not a native (api) login flow');
    expectThat(body?.session?.identity?.id === identityId, 'mismatch', `login session belongs to identity ${String(body?.session?.identity?.id)}, expected ${identityId}`, 'another identity has this email');
    return { value: body.session_token as string, record: [{ session_id: body.session?.id, identity_id: body.session?.identity?.id, active: body.session?.active }] };
  });
}

async function whoami(run: FlowRun, ctx: FlowContext, sessionToken: string, identityId: string): Promise<void> {
  const { publicUrl } = readUrlsOf(ctx);
  await run.step('api: whoami (session token)', async () => {
    const { body } = await callApi({ method: 'GET', url: `${publicUrl}/sessions/whoami`, headers: { 'x-session-token': sessionToken }, expect: [200] }, ctx.timeoutMs);
    expectThat(body?.active === true && body?.identity?.id === identityId, 'mismatch', `whoami answered ${JSON.stringify({ active: body?.active, identity: body?.identity?.id })}, expected an active session of ${identityId}`, 'Kratos cannot find the session it just issued: replicas on different databases or secrets');
    return { value: undefined, record: [{ session_id: body.id, active: body.active, identity_id: body.identity.id, email: body.identity.traits?.email, aal: body.authenticator_assurance_level }] };
  });
}

const IDENTITY_SQL = `
SELECT i.id, i.schema_id, i.traits, ict.name AS credential_type, ici.identifier, ic.config->>'hashed_password' AS hashed_password
  FROM identities i
  JOIN identity_credentials ic ON ic.identity_id = i.id
  JOIN identity_credential_types ict ON ict.id = ic.identity_credential_type_id
  JOIN identity_credential_identifiers ici ON ici.identity_credential_id = ic.id
 WHERE i.id = $1 AND ict.name = 'password'`;

async function identityRows(run: FlowRun, ctx: FlowContext, person: TestIdentity, identityId: string): Promise<void> {
  await run.step('sql: identity + password credential', async () => {
    const rows = await query(ctx.db, ctx.target.db, ctx.timeoutMs, IDENTITY_SQL, [identityId]);
    const row = expectOneRow(rows, `no identity ${identityId} with a password credential in identities/identity_credentials/identity_credential_identifiers`, rowsMissingCause('Kratos', ctx.target));
    const traits = typeof row['traits'] === 'string' ? JSON.parse(row['traits']) : row['traits'];
    expectThat(isDeepStrictEqual(traits, person.traits), 'mismatch', `identities.traits is ${JSON.stringify(traits)}, registered ${JSON.stringify(person.traits)}`, 'another identity with this id, or Kratos rewrote the traits');
    expectThat(String(row['identifier']).toLowerCase() === person.identifier.toLowerCase(), 'mismatch', `login identifier is ${String(row['identifier'])}, expected ${person.identifier} (${person.identifierPath})`, 'the identity schema marks another trait as the password identifier');
    const hash = String(row['hashed_password'] ?? '');
    expectThat(looksLikeOryHash(hash) && !hash.includes(person.password), 'mismatch', 'identity_credentials.config.hashed_password is not a password hash', 'Kratos must store the password hashed (hashers: bcrypt or argon2)');
    return { value: undefined, record: [{ ...row, traits, hashed_password: abbreviateHash(hash) }] };
  });
}

/** Kratos: identity schema, native registration, login and whoami; then the identity, its traits and hashed password in SQL. */
export async function runKratosFlow(run: FlowRun, ctx: FlowContext): Promise<void> {
  const person = await fetchIdentity(run, ctx);
  const identityId = await register(run, ctx, person);
  const sessionToken = await login(run, ctx, person, identityId);
  await whoami(run, ctx, sessionToken, identityId);
  await identityRows(run, ctx, person, identityId);
}
