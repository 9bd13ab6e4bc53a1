/**
 * TEST DOUBLE, not a product feature: a minimal in-process stand-in for Ory Hydra, Kratos and
 * Keto v26.2.0 (no Ory binaries can run here). It implements only the endpoints the verifier
 * calls, with Ory's documented request/response shapes, and writes the rows Ory writes into a
 * real PostgreSQL loaded with Ory's real schemas: hashed client secrets, the SHA-384 token
 * signature, identity + credential + identifier rows, UUIDv5 mappings for Keto. So the API half
 * and the SQL half of each check must agree for a test to pass.
 *
 * Deliberate simplifications: secrets and passwords are hashed with PBKDF2 (Hydra's default
 * hasher; Kratos's default is bcrypt, which node:crypto lacks), self-service flows live in
 * memory (Kratos stores them in selfservice_*_flows), no identity schema validation.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type pg from 'pg';

type Json = any;
type Handler = (req: IncomingMessage, url: URL, body: string) => Promise<{ status: number; body?: Json }>;
type Routes = Record<string, Handler>;

export interface FakeOryOptions {
  /** A superuser connection to a database, for writing rows as Ory would. */
  connect(database: string): Promise<pg.Client>;
  /** Database each service writes to. @default the service name */
  databases?: Partial<Record<'hydra' | 'kratos' | 'keto', string>>;
  /** Answer `METHOD /path` with this status and Ory error body instead. */
  failures?: Record<string, { status: number; body: Json }>;
}

export interface FakeOry {
  readonly urls: { hydraPublic: string; hydraAdmin: string; kratosPublic: string; kratosAdmin: string; ketoRead: string; ketoWrite: string };
  stop(): Promise<void>;
}

/** The network id Ory creates on first start (Kratos and Keto dumps have none; Hydra's has this one). */
const NETWORK_ID = '881ef61f-086b-44d1-81ac-d246038cabda';
const PBKDF2 = { iterations: 10_000, keyLength: 32 };

function pbkdf2Hash(secret: string): string {
  const salt = randomBytes(16);
  const key = pbkdf2Sync(secret, salt, PBKDF2.iterations, PBKDF2.keyLength, 'sha256');
  return `$pbkdf2-sha256$i=${PBKDF2.iterations},l=${PBKDF2.keyLength}$${salt.toString('base64').replace(/=+$/, '')}$${key.toString('base64').replace(/=+$/, '')}`;
}

function pbkdf2Matches(secret: string, encoded: string): boolean {
  const m = /^\$pbkdf2-sha256\$i=(\d+),l=(\d+)\$([^$]+)\$([^$]+)$/.exec(encoded);
  if (!m) return false;
  const expected = Buffer.from(m[4], 'base64');
  const actual = pbkdf2Sync(secret, Buffer.from(m[3], 'base64'), Number(m[1]), Number(m[2]), 'sha256');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** RFC 4122 UUIDv5 (SHA-1 of namespace + name), as Keto maps strings: uuid.NewV5(networkID, s). */
export function uuidV5(namespace: string, name: string): string {
  const hash = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function oryError(status: number, reason: string): { status: number; body: Json } {
  const names: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found' };
  return { status, body: { error: { code: status, status: names[status] ?? 'Error', reason, message: reason } } };
}

async function listen(routes: Routes, failures: FakeOryOptions['failures']): Promise<{ server: Server; url: string }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const path = url.pathname.replace(/\/[0-9a-f-]{36}$/, '/:id');
      const key = `${req.method} ${path}`;
      const failure = failures?.[key];
      const handler = routes[key];
      const answer = failure ? Promise.resolve(failure) : handler ? handler(req, url, body) : Promise.resolve(oryError(404, `no route ${key}`));
      answer.then(
        ({ status, body: out }) => {
          res.writeHead(status, out === undefined ? {} : { 'content-type': 'application/json' });
          res.end(out === undefined ? undefined : JSON.stringify(out));
        },
        (error: unknown) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 500, status: 'Internal Server Error', message: String(error) } }));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('fake Ory server has no port');
  return { server, url: `http://127.0.0.1:${address.port}` };
}

function hydraRoutes(db: pg.Client): { public: Routes; admin: Routes } {
  const systemSecret = randomBytes(32);
  const findClient = async (id: string) => (await db.query('SELECT id, client_secret, scope FROM hydra_client WHERE id = $1', [id])).rows[0];
  return {
    admin: {
      'POST /admin/clients': async (_req, _url, raw) => {
        const c = JSON.parse(raw);
        const id = randomUUID();
        const secret = randomBytes(24).toString('base64url');
        await db.query(
          `INSERT INTO hydra_client (id, nid, pk, client_name, client_secret, scope, owner, policy_uri, tos_uri, client_uri, logo_uri, sector_identifier_uri, jwks, jwks_uri, metadata,
             token_endpoint_auth_method, redirect_uris, grant_types, response_types, audience, allowed_cors_origins, contacts, request_uris)
           VALUES ($1, $2, $3, $4, $5, $6, '', '', '', '', '', '', '{}', '', $7, $8, '[]', $9, $10, '[]', '[]', '[]', '[]')`,
          [id, NETWORK_ID, randomUUID(), c.client_name ?? '', pbkdf2Hash(secret), c.scope ?? '', JSON.stringify(c.metadata ?? {}), c.token_endpoint_auth_method ?? 'client_secret_basic', JSON.stringify(c.grant_types ?? []), JSON.stringify(c.response_types ?? [])],
        );
        return { status: 201, body: { ...c, client_id: id, client_secret: secret } };
      },
      'POST /admin/oauth2/introspect': async (_req, _url, raw) => {
        const token = new URLSearchParams(raw).get('token') ?? '';
        const signature = createHash('sha384').update(token.split('.').pop() ?? '').digest('hex');
        const row = (await db.query('SELECT client_id, subject, granted_scope, active FROM hydra_oauth2_access WHERE signature = $1', [signature])).rows[0];
        if (!row?.active) return { status: 200, body: { active: false } };
        return { status: 200, body: { active: true, client_id: row.client_id, sub: row.subject, scope: row.granted_scope.split('|').join(' '), token_type: 'Bearer', token_use: 'access_token' } };
      },
      'DELETE /admin/clients/:id': async (_req, url) => {
        const id = url.pathname.split('/').pop();
        const { rowCount } = await db.query('DELETE FROM hydra_client WHERE id = $1', [id]);
        return rowCount ? { status: 204 } : oryError(404, 'Unable to locate the resource');
      },
    },
    public: {
      'POST /oauth2/token': async (req, _url, raw) => {
        const [id, secret] = Buffer.from(String(req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':').map(decodeURIComponent);
        const client = id ? await findClient(id) : undefined;
        if (!client || !secret || !pbkdf2Matches(secret, client.client_secret)) {
          return { status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method).' } };
        }
        const form = new URLSearchParams(raw);
        const key = randomBytes(32).toString('base64url');
        const sig = createHmac('sha256', systemSecret).update(key).digest('base64url');
        const scope = form.get('scope') ?? '';
        await db.query(
          `INSERT INTO hydra_oauth2_access (signature, request_id, client_id, scope, granted_scope, form_data, session_data, subject, active, nid, expires_at)
           VALUES ($1, $2, $3, $4, $4, $5, '{}', $3, true, $6, now() + interval '1 hour')`,
          [createHash('sha384').update(sig).digest('hex'), randomUUID(), id, scope.split(' ').join('|'), raw, NETWORK_ID],
        );
        return { status: 200, body: { access_token: `ory_at_${key}.${sig}`, expires_in: 3599, scope, token_type: 'bearer' } };
      },
    },
  };
}

function kratosRoutes(db: pg.Client): { public: Routes; admin: Routes } {
  const flows = new Map<string, 'registration' | 'login'>();
  const newFlow = (type: 'registration' | 'login') => async () => {
    const id = randomUUID();
    flows.set(id, type);
    return { status: 200, body: { id, type: 'api', expires_at: new Date(Date.now() + 3_600_000).toISOString(), ui: { action: `/self-service/${type}?flow=${id}`, method: 'POST', nodes: [] } } };
  };
  const createSession = async (identityId: string) => {
    const id = randomUUID();
    const token = `ory_st_${randomBytes(24).toString('base64url').slice(0, 32)}`;
    await db.query(
      `INSERT INTO sessions (id, issued_at, expires_at, authenticated_at, identity_id, created_at, updated_at, token, active, nid, aal, authentication_methods)
       VALUES ($1, now(), now() + interval '1 day', now(), $2, now(), now(), $3, true, $4, 'aal1', '[{"method":"password"}]')`,
      [id, identityId, token, NETWORK_ID],
    );
    return { id, token };
  };
  const identityJson = async (identityId: string) => {
    const row = (await db.query('SELECT id, schema_id, traits, state FROM identities WHERE id = $1', [identityId])).rows[0];
    return row && { id: row.id, schema_id: row.schema_id, traits: row.traits, state: row.state };
  };
  const takeFlow = (url: URL, type: string) => {
    const id = url.searchParams.get('flow') ?? '';
    const ok = flows.get(id) === type;
    flows.delete(id);
    return ok;
  };
  return {
    public: {
      'GET /self-service/registration/api': newFlow('registration'),
      'GET /self-service/login/api': newFlow('login'),
      'POST /self-service/registration': async (_req, url, raw) => {
        if (!takeFlow(url, 'registration')) return oryError(400, 'The registration flow does not exist.');
        const { password, traits } = JSON.parse(raw);
        const identityId = randomUUID();
        const credentialId = randomUUID();
        const typeId = (await db.query("SELECT id FROM identity_credential_types WHERE name = 'password'")).rows[0].id;
        await db.query("INSERT INTO identities (id, schema_id, traits, created_at, updated_at, nid, state) VALUES ($1, 'default', $2, now(), now(), $3, 'active')", [identityId, JSON.stringify(traits), NETWORK_ID]);
        await db.query('INSERT INTO identity_credentials (id, config, identity_credential_type_id, identity_id, created_at, updated_at, nid, version) VALUES ($1, $2, $3, $4, now(), now(), $5, 0)', [credentialId, JSON.stringify({ hashed_password: pbkdf2Hash(password) }), typeId, identityId, NETWORK_ID]);
        await db.query('INSERT INTO identity_credential_identifiers (id, identifier, identity_credential_id, created_at, updated_at, nid, identity_credential_type_id, identity_id) VALUES ($1, $2, $3, now(), now(), $4, $5, $6)', [randomUUID(), String(traits.email).toLowerCase(), credentialId, NETWORK_ID, typeId, identityId]);
        const session = await createSession(identityId);
        const identity = await identityJson(identityId);
        return { status: 200, body: { identity, session: { id: session.id, active: true, identity }, session_token: session.token } };
      },
      'POST /self-service/login': async (_req, url, raw) => {
        if (!takeFlow(url, 'login')) return oryError(400, 'The login flow does not exist.');
        const { identifier, password } = JSON.parse(raw);
        const row = (await db.query(
          `SELECT ici.identity_id, ic.config->>'hashed_password' AS hash FROM identity_credential_identifiers ici
             JOIN identity_credentials ic ON ic.id = ici.identity_credential_id WHERE ici.identifier = $1`,
          [String(identifier).toLowerCase()],
        )).rows[0];
        if (!row || !pbkdf2Matches(password, row.hash)) return oryError(400, 'The provided credentials are invalid, check for spelling mistakes in your password or username, email address, or phone number.');
        const session = await createSession(row.identity_id);
        return { status: 200, body: { session: { id: session.id, active: true, identity: await identityJson(row.identity_id) }, session_token: session.token } };
      },
      'GET /sessions/whoami': async (req) => {
        const row = (await db.query('SELECT id, identity_id, active FROM sessions WHERE token = $1 AND expires_at > now()', [String(req.headers['x-session-token'] ?? '')])).rows[0];
        if (!row?.active) return oryError(401, 'No valid session credentials found in the request.');
        return { status: 200, body: { id: row.id, active: true, authenticator_assurance_level: 'aal1', identity: await identityJson(row.identity_id) } };
      },
    },
    admin: {
      'DELETE /admin/identities/:id': async (_req, url) => {
        const { rowCount } = await db.query('DELETE FROM identities WHERE id = $1', [url.pathname.split('/').pop()]);
        return rowCount ? { status: 204 } : oryError(404, 'Unable to locate the resource');
      },
    },
  };
}

function ketoRoutes(db: pg.Client): { read: Routes; write: Routes } {
  const uuid = (s: string) => uuidV5(NETWORK_ID, s);
  const tupleFrom = (url: URL) => ({ namespace: url.searchParams.get('namespace') ?? '', object: url.searchParams.get('object') ?? '', relation: url.searchParams.get('relation') ?? '', subject_id: url.searchParams.get('subject_id') ?? '' });
  const matching = 'nid = $1 AND namespace = $2 AND object = $3 AND relation = $4 AND subject_id = $5';
  const params = (t: ReturnType<typeof tupleFrom>) => [NETWORK_ID, t.namespace, uuid(t.object), t.relation, uuid(t.subject_id)];
  return {
    write: {
      'PUT /admin/relation-tuples': async (_req, _url, raw) => {
        const t = JSON.parse(raw);
        for (const s of [t.object, t.subject_id]) {
          await db.query('INSERT INTO keto_uuid_mappings (id, string_representation) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [uuid(s), s]);
        }
        await db.query('INSERT INTO keto_relation_tuples (shard_id, nid, namespace, object, relation, subject_id, commit_time) VALUES ($1, $2, $3, $4, $5, $6, now())', [randomUUID(), NETWORK_ID, t.namespace, uuid(t.object), t.relation, uuid(t.subject_id)]);
        return { status: 201, body: t };
      },
      'DELETE /admin/relation-tuples': async (_req, url) => {
        await db.query(`DELETE FROM keto_relation_tuples WHERE ${matching}`, params(tupleFrom(url)));
        return { status: 204 };
      },
    },
    read: {
      'GET /relation-tuples/check': async (_req, url) => {
        const { rowCount } = await db.query(`SELECT 1 FROM keto_relation_tuples WHERE ${matching}`, params(tupleFrom(url)));
        return rowCount ? { status: 200, body: { allowed: true } } : { status: 403, body: { allowed: false } };
      },
      'GET /relation-tuples/expand': async (_req, url) => {
        const t = tupleFrom(url);
        const rows = (await db.query(
          `SELECT s.string_representation AS subject_id FROM keto_relation_tuples r JOIN keto_uuid_mappings s ON s.id = r.subject_id
            WHERE r.nid = $1 AND r.namespace = $2 AND r.object = $3 AND r.relation = $4`,
          [NETWORK_ID, t.namespace, uuid(t.object), t.relation],
        )).rows;
        const tuple = { namespace: t.namespace, object: t.object, relation: t.relation };
        return { status: 200, body: { type: 'union', tuple: { ...tuple, subject_set: tuple }, children: rows.map((r) => ({ type: 'leaf', tuple: { ...tuple, subject_id: r.subject_id } })) } };
      },
    },
  };
}

async function ensureNetwork(db: pg.Client): Promise<void> {
  await db.query('INSERT INTO networks (id, created_at, updated_at) VALUES ($1, now(), now()) ON CONFLICT (id) DO NOTHING', [NETWORK_ID]);
}

/** Starts the six listeners (Hydra public/admin, Kratos public/admin, Keto read/write) on loopback ports. */
export async function startFakeOry(options: FakeOryOptions): Promise<FakeOry> {
  const dbs = await Promise.all((['hydra', 'kratos', 'keto'] as const).map((s) => options.connect(options.databases?.[s] ?? s)));
  const [hydraDb, kratosDb, ketoDb] = dbs as [pg.Client, pg.Client, pg.Client];
  await Promise.all(dbs.map(ensureNetwork));
  const hydra = hydraRoutes(hydraDb);
  const kratos = kratosRoutes(kratosDb);
  const keto = ketoRoutes(ketoDb);
  const listeners = await Promise.all([hydra.public, hydra.admin, kratos.public, kratos.admin, keto.read, keto.write].map((r) => listen(r, options.failures)));
  const [hydraPublic, hydraAdmin, kratosPublic, kratosAdmin, ketoRead, ketoWrite] = listeners.map((l) => l.url) as [string, string, string, string, string, string];
  return {
    urls: { hydraPublic, hydraAdmin, kratosPublic, kratosAdmin, ketoRead, ketoWrite },
    async stop() {
      await Promise.all(listeners.map(({ server }) => new Promise((resolve) => server.close(resolve))));
      await Promise.all(dbs.map((db) => db.end()));
    },
  };
}
