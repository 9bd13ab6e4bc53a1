/**
 * TEST DOUBLE, not a product feature: a minimal in-process stand-in for Ory Hydra, Kratos and
 * Keto v26.2.0 (no Ory binaries can run here). It is held to Ory's own contracts:
 * - every request it receives and every response it sends is validated against the service's
 *   v26.2.0 OpenAPI document (test data); violations are recorded and the tests assert none;
 * - it is strict where Ory is (each rule cites the Ory source it follows): grant_type and the
 *   client's grant types and scope (fosite's client_credentials handler), the registration
 *   `method` (Kratos answers 400 when no strategy is responsible), traits validated against the
 *   identity schema, `Origin`/`Cookie` headers refused on API flows (Kratos's
 *   ErrOriginHeaderNeedsBrowserFlow), `session_token` only with the session hook, unknown Keto
 *   namespaces 404 ("Unknown namespace with name"), `max-depth` capped by Keto's
 *   limit.max_read_depth, 403 for a denied check; a token signed under another Hydra system secret
 *   introspects as inactive (fosite's HMACStrategy);
 * - it is configured like the ory stack deploys (identity schema, session hook, namespaces) and
 *   writes the rows Ory writes into a real PostgreSQL loaded with Ory's schemas: Hydra's PBKDF2
 *   client secrets and SHA-384 access-token signature (Hydra's x.SignatureHash), Kratos's bcrypt
 *   password hashes (bcryptjs, Kratos's default cost 12), Keto's UUIDv5 mappings (computed with
 *   the `uuid` package, not the verifier's own code).
 * Simplifications: self-service flows live in memory (Kratos stores them in selfservice_*_flows).
 */
import { defaultIdentitySchema, kratosConfig } from '@crdb-ory/ory';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import bcrypt from 'bcryptjs';
import { createHash, createHmac, pbkdf2Sync, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type pg from 'pg';
import { v5 as uuidv5 } from 'uuid';
import { OpenApiContract } from './openapi-contract';

type Json = any;
type Service = 'hydra' | 'kratos' | 'keto';
type Answer = { status: number; body?: Json };
type Handler = (req: IncomingMessage, url: URL, body: string) => Promise<Answer>;
type Routes = Record<string, Handler>;

export interface FakeOryOptions {
  /** A superuser connection to a database, for writing rows as Ory would. */
  connect(database: string): Promise<pg.Client>;
  /** Database each service writes to. @default the service name */
  databases?: Partial<Record<Service, string>>;
  /** Answer `METHOD /path` with this status and Ory error body instead. */
  failures?: Record<string, { status: number; body: Json }>;
  /** Kratos's `selfservice.flows.registration.after.password.hooks` include `session`. @default as the ory stack configures Kratos */
  registrationSessionHook?: boolean;
  /** Kratos's identity schema (id `default`). @default the one the ory stack deploys */
  identitySchema?: Record<string, unknown>;
  /** Keto's namespaces. @default ['documents'], the ory stack's default */
  ketoNamespaces?: readonly string[];
  /**
   * Hydra's `secrets.system`, which signs its opaque tokens: the ory stack gives every region the
   * same one, so a token issued in one region verifies in another. @default a random one per double
   */
  systemSecret?: Buffer;
}

/** One HTTP exchange the double saw, with what Ory's OpenAPI spec says about it. */
export interface Exchange {
  readonly service: Service;
  readonly operationId?: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly problems: readonly string[];
}

export interface FakeOry {
  readonly urls: { hydraPublic: string; hydraAdmin: string; kratosPublic: string; kratosAdmin: string; ketoRead: string; ketoWrite: string };
  /** Every exchange so far. */
  exchanges(): readonly Exchange[];
  /** Every spec violation so far (requests and responses), one line each. */
  violations(): string[];
  stop(): Promise<void>;
}

/** The verifier's URL settings (`hydraPublicUrl`, ...) pointing at a double. */
export function urlSettings(ory: FakeOry): Record<'hydraPublicUrl' | 'hydraAdminUrl' | 'kratosPublicUrl' | 'kratosAdminUrl' | 'ketoReadUrl' | 'ketoWriteUrl', string> {
  return {
    hydraPublicUrl: ory.urls.hydraPublic,
    hydraAdminUrl: ory.urls.hydraAdmin,
    kratosPublicUrl: ory.urls.kratosPublic,
    kratosAdminUrl: ory.urls.kratosAdmin,
    ketoReadUrl: ory.urls.ketoRead,
    ketoWriteUrl: ory.urls.ketoWrite,
  };
}

/** The network id Ory creates on first start (Kratos and Keto dumps have none; Hydra's has this one). */
export const NETWORK_ID = '881ef61f-086b-44d1-81ac-d246038cabda';
/** Hydra's default PBKDF2 hasher (oauth2.hashers.pbkdf2): SHA-256, 25000 iterations, 32 bytes. */
const PBKDF2 = { iterations: 25_000, keyLength: 32 };
/** Kratos's default password hasher: bcrypt, cost 12 (hashers.bcrypt.cost). */
const BCRYPT_COST = 12;
/** Keto's default limit.max_read_depth. */
const KETO_MAX_READ_DEPTH = 5;

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

const STATUS_NAMES: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' };

/** herodot's JSON error, as every Ory service writes it. */
function oryError(status: number, reason: string, message = 'The request was malformed or contained invalid parameters'): Answer {
  return { status, body: { error: { code: status, status: STATUS_NAMES[status] ?? 'Error', reason, message } } };
}

/** fosite's RFC 6749 error body. */
function oauthError(status: number, error: string, description: string): Answer {
  return { status, body: { error, error_description: description } };
}

async function listen(service: Service, routes: Routes, options: FakeOryOptions, contract: OpenApiContract, log: Exchange[]): Promise<{ server: Server; url: string }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const checked = contract.checkRequest({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body });
      const path = url.pathname.replace(/\/[0-9a-f-]{36}$/, '/:id').replace(/^\/schemas\/[^/]+$/, '/schemas/:id');
      const key = `${req.method} ${path}`;
      const failure = options.failures?.[key];
      const handler = routes[key];
      const answer = failure ? Promise.resolve(failure) : handler ? handler(req, url, body) : Promise.resolve(oryError(404, `no route ${key}`));
      const send = ({ status, body: out }: Answer) => {
        const text = out === undefined ? '' : JSON.stringify(out);
        const contentType = out === undefined ? undefined : 'application/json; charset=utf-8';
        let responseProblems: string[];
        try {
          responseProblems = checked.match ? contract.checkResponse(checked.match, status, contentType, text) : [];
        } catch (error) {
          responseProblems = [`${req.method} ${url.pathname}: the response could not be checked: ${(error as Error).message}`];
        }
        log.push({ service, ...(checked.match ? { operationId: checked.match.operationId } : {}), method: req.method ?? '', path: url.pathname, status, problems: [...checked.problems, ...responseProblems] });
        res.writeHead(status, contentType ? { 'content-type': contentType } : {});
        res.end(text === '' ? undefined : text);
      };
      answer.then(send, (error: unknown) => send(oryError(500, String(error), 'An internal server error occurred, please contact the system administrator')));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('fake Ory server has no port');
  return { server, url: `http://127.0.0.1:${address.port}` };
}

function hydraRoutes(db: pg.Client, systemSecret: Buffer): { public: Routes; admin: Routes } {
  const sign = (key: string) => createHmac('sha256', systemSecret).update(key).digest('base64url');
  /**
   * fosite's HMACStrategy.Validate: a token whose signature part is not the HMAC of its key part
   * under this Hydra's global secret (derived from secrets.system) fails with
   * ErrTokenSignatureMismatch before any lookup, and WriteIntrospectionError answers such a token
   * with `{"active": false}` (RFC 7662 section 2.2), as for an unknown one (ory/fosite
   * token/hmac/hmacsha.go, introspection_response_writer.go). The HMAC's exact input is the
   * double's own; what is modelled is that another system secret makes the token inactive.
   */
  const signedHere = (token: string) => {
    const [key, signature] = token.replace(/^ory_at_/, '').split('.');
    if (!key || !signature) return false;
    const expected = Buffer.from(sign(key));
    const actual = Buffer.from(signature);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  };
  const findClient = async (id: string) => (await db.query('SELECT id, client_secret, scope, grant_types FROM hydra_client WHERE id = $1', [id])).rows[0];
  return {
    admin: {
      'POST /admin/clients': async (_req, _url, raw) => {
        const c = JSON.parse(raw);
        const id = randomUUID();
        const secret = randomBytes(24).toString('base64url');
        const now = new Date().toISOString();
        await db.query(
          `INSERT INTO hydra_client (id, nid, pk, client_name, client_secret, scope, owner, policy_uri, tos_uri, client_uri, logo_uri, sector_identifier_uri, jwks, jwks_uri, metadata,
             token_endpoint_auth_method, redirect_uris, grant_types, response_types, audience, allowed_cors_origins, contacts, request_uris)
           VALUES ($1, $2, $3, $4, $5, $6, '', '', '', '', '', '', '{}', '', $7, $8, '[]', $9, $10, '[]', '[]', '[]', '[]')`,
          [id, NETWORK_ID, randomUUID(), c.client_name ?? '', pbkdf2Hash(secret), c.scope ?? '', JSON.stringify(c.metadata ?? {}), c.token_endpoint_auth_method ?? 'client_secret_basic', JSON.stringify(c.grant_types ?? []), JSON.stringify(c.response_types ?? [])],
        );
        return { status: 201, body: { ...c, client_id: id, client_secret: secret, created_at: now, updated_at: now } };
      },
      'POST /admin/oauth2/introspect': async (_req, _url, raw) => {
        const token = new URLSearchParams(raw).get('token') ?? '';
        if (!signedHere(token)) return { status: 200, body: { active: false } };
        const row = (await db.query('SELECT client_id, subject, granted_scope, active FROM hydra_oauth2_access WHERE signature = $1', [signatureHash(token)])).rows[0];
        if (!row?.active) return { status: 200, body: { active: false } };
        return { status: 200, body: { active: true, client_id: row.client_id, sub: row.subject, scope: row.granted_scope.split('|').join(' '), token_type: 'Bearer', token_use: 'access_token' } };
      },
      'DELETE /admin/clients/:id': async (_req, url) => {
        const id = url.pathname.split('/').pop();
        const { rowCount } = await db.query('DELETE FROM hydra_client WHERE id = $1', [id]);
        return rowCount ? { status: 204 } : oauthError(404, 'not_found', 'Unable to locate the resource');
      },
    },
    public: {
      'POST /oauth2/token': async (req, _url, raw) => {
        const [id, secret] = Buffer.from(String(req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':').map(decodeURIComponent);
        const client = id ? await findClient(id) : undefined;
        if (!client || !secret || !pbkdf2Matches(secret, client.client_secret)) {
          return oauthError(401, 'invalid_client', 'Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method).');
        }
        const form = new URLSearchParams(raw);
        // fosite: only the client_credentials handler is exercised; another grant type has no handler.
        if (form.get('grant_type') !== 'client_credentials') {
          return oauthError(400, 'unsupported_grant_type', 'The authorization grant type is not supported by the authorization server.');
        }
        const grantTypes: string[] = typeof client.grant_types === 'string' ? JSON.parse(client.grant_types) : client.grant_types;
        if (!grantTypes.includes('client_credentials')) {
          return oauthError(400, 'unauthorized_client', "The client is not authorized to request a token using this method. The OAuth 2.0 Client is not allowed to use authorization grant 'client_credentials'.");
        }
        const requested = (form.get('scope') ?? '').split(' ').filter(Boolean);
        const allowed = String(client.scope).split(' ').filter(Boolean);
        const refused = requested.find((scope) => !allowed.includes(scope));
        if (refused) {
          return oauthError(400, 'invalid_scope', `The requested scope is invalid, unknown, or malformed. The OAuth 2.0 Client is not allowed to request scope '${refused}'.`);
        }
        const key = randomBytes(32).toString('base64url');
        const token = `ory_at_${key}.${sign(key)}`;
        await db.query(
          `INSERT INTO hydra_oauth2_access (signature, request_id, client_id, scope, granted_scope, form_data, session_data, subject, active, nid, expires_at)
           VALUES ($1, $2, $3, $4, $4, $5, '{}', $3, true, $6, now() + interval '1 hour')`,
          [signatureHash(token), randomUUID(), id, requested.join('|'), raw, NETWORK_ID],
        );
        return { status: 200, body: { access_token: token, expires_in: 3599, scope: requested.join(' '), token_type: 'bearer' } };
      },
    },
  };
}

/** Hydra's x.SignatureHash: hex(SHA-384) of the token's signature part (after its last dot). */
function signatureHash(token: string): string {
  return createHash('sha384').update(token.slice(token.lastIndexOf('.') + 1)).digest('hex');
}

interface KratosSettings {
  readonly sessionHook: boolean;
  readonly identitySchema: Record<string, unknown>;
}

function kratosRoutes(db: pg.Client, settings: KratosSettings, publicUrl: () => string): { public: Routes; admin: Routes } {
  const flows = new Map<string, { type: 'registration' | 'login'; body: Json }>();
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validateIdentity = ajv.compile(settings.identitySchema);
  const newFlow = (type: 'registration' | 'login') => async (req: IncomingMessage) => {
    const id = randomUUID();
    const now = new Date();
    const body = {
      id,
      type: 'api',
      expires_at: new Date(now.getTime() + 3_600_000).toISOString(),
      issued_at: now.toISOString(),
      request_url: `${publicUrl()}${req.url ?? ''}`,
      state: 'choose_method',
      ui: { action: `${publicUrl()}/self-service/${type}?flow=${id}`, method: 'POST', nodes: [] },
    };
    flows.set(id, { type, body });
    return { status: 200, body };
  };
  /** Kratos answers a failed API flow submission with the flow, its UI carrying the message. */
  const flowError = (flow: Json, id: number, text: string): Answer => ({ status: 400, body: { ...flow, ui: { ...flow.ui, messages: [{ id, text, type: 'error' }] } } });
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
    return row && { id: row.id, schema_id: row.schema_id, schema_url: `${publicUrl()}/schemas/${row.schema_id}`, traits: row.traits, state: row.state };
  };
  const sessionJson = async (session: { id: string }, identityId: string) => ({ id: session.id, active: true, authenticator_assurance_level: 'aal1', identity: await identityJson(identityId) });
  /** The API flow of `?flow=`, or the error Kratos gives; flow.EnsureCSRF refuses browser headers on API flows. */
  const takeFlow = (req: IncomingMessage, url: URL, type: string): { flow: Json } | { error: Answer } => {
    const id = url.searchParams.get('flow') ?? '';
    const flow = flows.get(id);
    if (!flow || flow.type !== type) return { error: oryError(400, `The ${type} flow does not exist.`) };
    // Reasons of Kratos's flow.ErrOriginHeaderNeedsBrowserFlow / ErrCookieHeaderNeedsBrowserFlow; the spec declares a
    // 400 of these operations to be the flow, so the double answers with the flow carrying the reason.
    if (req.headers.origin) {
      return { error: flowError(flow.body, 4000001, 'The HTTP Request Header included the "Origin" key, indicating that this request was made as part of an AJAX request in a Browser. The flow however was initiated as an API request. To prevent potential misuse and mitigate several attack vectors including CSRF, the request has been blocked. Please consult the documentation.') };
    }
    if (req.headers.cookie) return { error: flowError(flow.body, 4000001, 'The HTTP Request Header included the "Cookie" key, indicating that this request was made by a Browser. The flow however was initiated as an API request. To prevent potential misuse and mitigate several attack vectors including CSRF, the request has been blocked. Please consult the documentation.') };
    flows.delete(id);
    return { flow: flow.body };
  };
  return {
    public: {
      'GET /self-service/registration/api': newFlow('registration'),
      'GET /self-service/login/api': newFlow('login'),
      'GET /schemas/:id': async (_req, url) => {
        const id = decodeURIComponent(url.pathname.split('/').pop() ?? '');
        return id === 'default' ? { status: 200, body: settings.identitySchema } : oryError(404, `Identity schema "${id}" could not be found.`, 'The requested resource could not be found');
      },
      'POST /self-service/registration': async (req, url, raw) => {
        const taken = takeFlow(req, url, 'registration');
        if ('error' in taken) return taken.error;
        const { method, password, traits } = JSON.parse(raw);
        // registration.Handler: no strategy responsible for the method -> 4000010 on the flow.
        if (method !== 'password') return flowError(taken.flow, 4000010, 'Could not find a strategy to sign you up with. Did you fill out the form correctly?');
        if (!validateIdentity({ traits })) return flowError(taken.flow, 4000001, `identity traits do not match the identity schema: ${ajv.errorsText(validateIdentity.errors)}`);
        const identityId = randomUUID();
        const credentialId = randomUUID();
        const typeId = (await db.query("SELECT id FROM identity_credential_types WHERE name = 'password'")).rows[0].id;
        const identifier = String(identifierOf(settings.identitySchema, traits)).toLowerCase();
        await db.query("INSERT INTO identities (id, schema_id, traits, created_at, updated_at, nid, state) VALUES ($1, 'default', $2, now(), now(), $3, 'active')", [identityId, JSON.stringify(traits), NETWORK_ID]);
        await db.query('INSERT INTO identity_credentials (id, config, identity_credential_type_id, identity_id, created_at, updated_at, nid, version) VALUES ($1, $2, $3, $4, now(), now(), $5, 0)', [credentialId, JSON.stringify({ hashed_password: await bcrypt.hash(password, BCRYPT_COST) }), typeId, identityId, NETWORK_ID]);
        await db.query('INSERT INTO identity_credential_identifiers (id, identifier, identity_credential_id, created_at, updated_at, nid, identity_credential_type_id, identity_id) VALUES ($1, $2, $3, now(), now(), $4, $5, $6)', [randomUUID(), identifier, credentialId, NETWORK_ID, typeId, identityId]);
        const identity = await identityJson(identityId);
        if (!settings.sessionHook) return { status: 200, body: { identity } };
        const session = await createSession(identityId);
        return { status: 200, body: { identity, session: await sessionJson(session, identityId), session_token: session.token } };
      },
      'POST /self-service/login': async (req, url, raw) => {
        const taken = takeFlow(req, url, 'login');
        if ('error' in taken) return taken.error;
        const { method, identifier, password } = JSON.parse(raw);
        if (method !== 'password') return flowError(taken.flow, 4000010, 'Could not find a strategy to log you in with. Did you fill out the form correctly?');
        const row = (await db.query(
          `SELECT ici.identity_id, ic.config->>'hashed_password' AS hash FROM identity_credential_identifiers ici
             JOIN identity_credentials ic ON ic.id = ici.identity_credential_id WHERE ici.identifier = $1`,
          [String(identifier).toLowerCase()],
        )).rows[0];
        if (!row || !(await bcrypt.compare(String(password), row.hash))) {
          return flowError(taken.flow, 4000006, 'The provided credentials are invalid, check for spelling mistakes in your password or username, email address, or phone number.');
        }
        const session = await createSession(row.identity_id);
        return { status: 200, body: { session: await sessionJson(session, row.identity_id), session_token: session.token } };
      },
      'GET /sessions/whoami': async (req) => {
        const row = (await db.query('SELECT id, identity_id, active FROM sessions WHERE token = $1 AND expires_at > now()', [String(req.headers['x-session-token'] ?? '')])).rows[0];
        if (!row?.active) return oryError(401, 'No valid session credentials found in the request.', 'The request could not be authorized');
        return { status: 200, body: await sessionJson(row, row.identity_id) };
      },
    },
    admin: {
      'DELETE /admin/identities/:id': async (_req, url) => {
        const { rowCount } = await db.query('DELETE FROM identities WHERE id = $1', [url.pathname.split('/').pop()]);
        return rowCount ? { status: 204 } : oryError(404, 'Unable to locate the resource', 'The requested resource could not be found');
      },
    },
  };
}

/** The trait the schema marks as the password identifier. */
function identifierOf(schema: Json, traits: Json): unknown {
  const walk = (node: Json, value: Json): unknown => {
    for (const [name, sub] of Object.entries((node?.properties ?? {}) as Record<string, Json>)) {
      if (sub?.['ory.sh/kratos']?.credentials?.password?.identifier) return value?.[name];
      const nested = walk(sub, value?.[name]);
      if (nested !== undefined) return nested;
    }
    return undefined;
  };
  return walk(schema.properties.traits, traits);
}

function ketoRoutes(db: pg.Client, namespaces: readonly string[]): { read: Routes; write: Routes } {
  const uuid = (s: string) => uuidv5(s, NETWORK_ID);
  const tupleFrom = (url: URL) => ({ namespace: url.searchParams.get('namespace') ?? '', object: url.searchParams.get('object') ?? '', relation: url.searchParams.get('relation') ?? '', subject_id: url.searchParams.get('subject_id') ?? '' });
  const unknownNamespace = (name: string) => (namespaces.includes(name) ? undefined : oryError(404, `Unknown namespace with name "${name}".`, 'The requested resource could not be found'));
  const matching = 'nid = $1 AND namespace = $2 AND object = $3 AND relation = $4 AND subject_id = $5';
  const params = (t: ReturnType<typeof tupleFrom>) => [NETWORK_ID, t.namespace, uuid(t.object), t.relation, uuid(t.subject_id)];
  /** Keto's engine: a requested max-depth below 1 or above limit.max_read_depth becomes the limit. */
  const depthOf = (url: URL) => {
    const requested = Number(url.searchParams.get('max-depth') ?? 0);
    return requested < 1 || requested > KETO_MAX_READ_DEPTH ? KETO_MAX_READ_DEPTH : requested;
  };
  /** The expand tree of namespace:object#relation, `depth` levels deep (subject sets expand one level each). */
  const expandTree = async (namespace: string, object: string, relation: string, depth: number): Promise<Json> => {
    const rows = (await db.query(
      `SELECT s.string_representation AS subject_id, r.subject_set_namespace, so.string_representation AS subject_set_object, r.subject_set_relation
         FROM keto_relation_tuples r LEFT JOIN keto_uuid_mappings s ON s.id = r.subject_id LEFT JOIN keto_uuid_mappings so ON so.id = r.subject_set_object
        WHERE r.nid = $1 AND r.namespace = $2 AND r.object = $3 AND r.relation = $4`,
      [NETWORK_ID, namespace, uuid(object), relation],
    )).rows;
    const tuple = { namespace, object, relation };
    const children = [];
    for (const row of rows) {
      if (row.subject_id) children.push({ type: 'leaf', tuple: { ...tuple, subject_id: row.subject_id } });
      else if (depth > 1) children.push(await expandTree(row.subject_set_namespace, row.subject_set_object, row.subject_set_relation, depth - 1));
      else children.push({ type: 'leaf', tuple: { ...tuple, subject_set: { namespace: row.subject_set_namespace, object: row.subject_set_object, relation: row.subject_set_relation } } });
    }
    return { type: 'union', tuple: { ...tuple, subject_set: tuple }, children };
  };
  return {
    write: {
      'PUT /admin/relation-tuples': async (_req, _url, raw) => {
        const t = JSON.parse(raw);
        const refused = unknownNamespace(t.namespace);
        if (refused) return refused;
        for (const s of [t.object, t.subject_id]) {
          await db.query('INSERT INTO keto_uuid_mappings (id, string_representation) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [uuid(s), s]);
        }
        await db.query('INSERT INTO keto_relation_tuples (shard_id, nid, namespace, object, relation, subject_id, commit_time) VALUES ($1, $2, $3, $4, $5, $6, now())', [randomUUID(), NETWORK_ID, t.namespace, uuid(t.object), t.relation, uuid(t.subject_id)]);
        return { status: 201, body: t };
      },
      'DELETE /admin/relation-tuples': async (_req, url) => {
        const t = tupleFrom(url);
        const refused = unknownNamespace(t.namespace);
        if (refused) return refused;
        await db.query(`DELETE FROM keto_relation_tuples WHERE ${matching}`, params(t));
        return { status: 204 };
      },
    },
    read: {
      'GET /relation-tuples/check': async (_req, url) => {
        const t = tupleFrom(url);
        const refused = unknownNamespace(t.namespace);
        if (refused) return refused;
        const { rowCount } = await db.query(`SELECT 1 FROM keto_relation_tuples WHERE ${matching}`, params(t));
        return rowCount ? { status: 200, body: { allowed: true } } : { status: 403, body: { allowed: false } };
      },
      'GET /relation-tuples/expand': async (_req, url) => {
        const t = tupleFrom(url);
        const refused = unknownNamespace(t.namespace);
        if (refused) return refused;
        return { status: 200, body: await expandTree(t.namespace, t.object, t.relation, depthOf(url)) };
      },
    },
  };
}

async function ensureNetwork(db: pg.Client): Promise<void> {
  await db.query('INSERT INTO networks (id, created_at, updated_at) VALUES ($1, now(), now()) ON CONFLICT (id) DO NOTHING', [NETWORK_ID]);
}

/** Whether the ory stack's Kratos config returns a session token on native registration. */
function stackSessionHook(): boolean {
  const config = kratosConfig({ publicUrl: 'http://127.0.0.1:4433/', adminUrl: 'http://kratos-admin:4434/', breachedPasswordCheck: true }) as Json;
  return (config.selfservice.flows.registration.after.password.hooks as Json[]).some((hook) => hook.hook === 'session');
}

/** Starts the six listeners (Hydra public/admin, Kratos public/admin, Keto read/write) on loopback ports. */
export async function startFakeOry(options: FakeOryOptions): Promise<FakeOry> {
  const dbs = await Promise.all((['hydra', 'kratos', 'keto'] as const).map((s) => options.connect(options.databases?.[s] ?? s)));
  const [hydraDb, kratosDb, ketoDb] = dbs as [pg.Client, pg.Client, pg.Client];
  await Promise.all(dbs.map(ensureNetwork));
  const log: Exchange[] = [];
  const contracts = { hydra: new OpenApiContract('hydra'), kratos: new OpenApiContract('kratos'), keto: new OpenApiContract('keto') };
  let kratosPublic = '';
  const hydra = hydraRoutes(hydraDb, options.systemSecret ?? randomBytes(32));
  const kratos = kratosRoutes(kratosDb, { sessionHook: options.registrationSessionHook ?? stackSessionHook(), identitySchema: options.identitySchema ?? defaultIdentitySchema() }, () => kratosPublic);
  const keto = ketoRoutes(ketoDb, options.ketoNamespaces ?? ['documents']);
  const listeners = await Promise.all(
    ([['hydra', hydra.public], ['hydra', hydra.admin], ['kratos', kratos.public], ['kratos', kratos.admin], ['keto', keto.read], ['keto', keto.write]] as const).map(([service, routes]) =>
      listen(service, routes, options, contracts[service], log),
    ),
  );
  const [hydraPublic, hydraAdmin, kratosPublicUrl, kratosAdmin, ketoRead, ketoWrite] = listeners.map((l) => l.url) as [string, string, string, string, string, string];
  kratosPublic = kratosPublicUrl;
  return {
    urls: { hydraPublic, hydraAdmin, kratosPublic: kratosPublicUrl, kratosAdmin, ketoRead, ketoWrite },
    exchanges: () => [...log],
    violations: () => log.flatMap((exchange) => exchange.problems.map((problem) => `${exchange.service}: ${problem}`)),
    async stop() {
      await Promise.all(listeners.map(({ server }) => new Promise((resolve) => server.close(resolve))));
      await Promise.all(dbs.map((db) => db.end()));
    },
  };
}
