/**
 * Ory's own v26.2.0 OpenAPI documents as a contract for HTTP exchanges: every request the
 * verifier sends and every response the test double returns is checked against the service's
 * spec (path, method, parameters, request body, status code, response body). The documents are
 * the repository's test data; nothing here is written from our own assumptions.
 */
import { OryService, oryApiSpecFile } from '@crdb-ory/reference-data';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';

type Json = any;

export interface HttpExchange {
  readonly method: string;
  /** Path and query, e.g. `/relation-tuples/check?namespace=documents&...` */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

export interface OperationMatch {
  readonly operationId: string;
  readonly pathTemplate: string;
  readonly method: string;
  readonly operation: Json;
}

const SPEC_ID = 'ory-spec.json';

/**
 * OpenAPI 3.0 to JSON Schema. `nullable: true` becomes a null type. The discriminator selects the subschema by the tag's value; JSON Schema's `oneOf`
 * alone would also try the others (a password body can match the profile method's schema too).
 * Rewrites `{discriminator: {propertyName, mapping}, oneOf}` into an explicit if/then per tag.
 */
function withDiscriminators(node: Json): Json {
  if (Array.isArray(node)) return node.map(withDiscriminators);
  if (!node || typeof node !== 'object') return node;
  let out: Json = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, withDiscriminators(v)]));
  if (out.nullable === true) {
    // OpenAPI 3.0's `nullable`: JSON Schema says it with a null type (Ajv refuses nullable without type).
    delete out.nullable;
    out = out.type ? { ...out, type: [...new Set([...(Array.isArray(out.type) ? out.type : [out.type]), 'null'])] } : { anyOf: [out, { type: 'null' }] };
  }
  const mapping = out.discriminator?.mapping as Record<string, string> | undefined;
  if (mapping && out.oneOf) {
    const tag = out.discriminator.propertyName as string;
    delete out.oneOf;
    delete out.discriminator;
    out.type = 'object';
    out.required = [...new Set([...(out.required ?? []), tag])];
    out.properties = { ...(out.properties ?? {}), [tag]: { enum: Object.keys(mapping) } };
    out.allOf = Object.entries(mapping).map(([value, ref]) => ({ if: { properties: { [tag]: { const: value } } }, then: { $ref: ref } }));
  }
  return out;
}

export class OpenApiContract {
  private readonly spec: Json;
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(readonly service: OryService) {
    this.spec = withDiscriminators(JSON.parse(readFileSync(oryApiSpecFile(service), 'utf8')));
    this.ajv = new Ajv({ strict: false, allErrors: true, logger: false });
    addFormats(this.ajv);
    for (const format of ['int64', 'int32', 'duration', 'uint64', 'float', 'double']) this.ajv.addFormat(format, true);
    this.ajv.addSchema({ ...this.spec, $id: SPEC_ID });
  }

  /** Every operation id in the spec, e.g. to prove an exchange names a real one. */
  operationIds(): string[] {
    return Object.values(this.spec.paths).flatMap((item: Json) => Object.values(item).flatMap((op: Json) => (op?.operationId ? [op.operationId] : [])));
  }

  match(method: string, pathname: string): OperationMatch | undefined {
    for (const [template, item] of Object.entries(this.spec.paths as Record<string, Json>)) {
      const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}|\{[^}]+\}/g, '[^/]+')}$`);
      const operation = item[method.toLowerCase()];
      if (operation && pattern.test(pathname)) return { operationId: operation.operationId, pathTemplate: template, method: method.toUpperCase(), operation };
    }
    return undefined;
  }

  /** Problems of a request (empty when it conforms), and the operation it is. */
  checkRequest(request: HttpExchange): { match?: OperationMatch; problems: string[] } {
    const url = new URL(request.url, 'http://spec.invalid');
    const match = this.match(request.method, url.pathname);
    const label = `${request.method} ${url.pathname}`;
    if (!match) return { problems: [`${label}: no such operation in ${this.service}'s API`] };
    const problems: string[] = [];
    const parameters: Json[] = [...(this.spec.paths[match.pathTemplate].parameters ?? []), ...(match.operation.parameters ?? [])].map((p) => this.deref(p));
    const declaredQuery = new Set(parameters.filter((p) => p.in === 'query').map((p) => p.name));
    for (const name of new Set(url.searchParams.keys())) {
      if (!declaredQuery.has(name)) problems.push(`${label} (${match.operationId}): query parameter "${name}" is not in the spec`);
    }
    for (const parameter of parameters) {
      const raw = parameter.in === 'query' ? url.searchParams.get(parameter.name) : parameter.in === 'header' ? headerValue(request.headers, parameter.name) : parameter.in === 'path' ? 'present' : undefined;
      if (raw === undefined || raw === null) {
        if (parameter.required) problems.push(`${label} (${match.operationId}): required ${parameter.in} parameter "${parameter.name}" is missing`);
        continue;
      }
      if (parameter.in === 'path' || !parameter.schema) continue;
      const value = parameter.schema.type === 'integer' && /^-?\d+$/.test(raw) ? Number(raw) : parameter.schema.type === 'boolean' && /^(true|false)$/.test(raw) ? raw === 'true' : raw;
      problems.push(...this.validate(parameter.schema, value, `${label} (${match.operationId}) ${parameter.in} parameter "${parameter.name}"`));
    }
    const requestBody = match.operation.requestBody ? this.deref(match.operation.requestBody) : undefined;
    if (request.body !== '') {
      const type = String(headerValue(request.headers, 'content-type') ?? '').split(';')[0]?.trim() ?? '';
      const media = requestBody?.content?.[type];
      if (!media) problems.push(`${label} (${match.operationId}): a ${type || 'typeless'} body, the spec allows ${requestBody ? Object.keys(requestBody.content).join(', ') : 'none'}`);
      else problems.push(...this.validate(media.schema, parseBody(type, request.body), `${label} (${match.operationId}) request body`));
    } else if (requestBody?.required) {
      problems.push(`${label} (${match.operationId}): the request body is required`);
    }
    return { match, problems };
  }

  /** Problems of a response to `match` (empty when it conforms): status declared (or `default`), body against its schema. */
  checkResponse(match: OperationMatch, status: number, contentType: string | undefined, body: string): string[] {
    const label = `${match.method} ${match.pathTemplate} (${match.operationId}) response ${status}`;
    const declared = match.operation.responses?.[String(status)] ?? match.operation.responses?.default;
    if (!declared) return [`${label}: status not in the spec (${Object.keys(match.operation.responses ?? {}).join(', ')})`];
    const response = this.deref(declared);
    const content = response.content as Record<string, Json> | undefined;
    if (!content || Object.keys(content).length === 0) return body === '' ? [] : [`${label}: the spec declares no body, got ${body.slice(0, 80)}`];
    const type = (contentType ?? '').split(';')[0]?.trim() ?? '';
    const media = content[type];
    if (!media) return [`${label}: content type "${type}", the spec declares ${Object.keys(content).join(', ')}`];
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return [`${label}: body is not JSON`];
    }
    return this.validate(media.schema, parsed, `${label} body`);
  }

  private deref(node: Json): Json {
    let current = node;
    while (current?.$ref) {
      current = String(current.$ref).replace(/^#\//, '').split('/').reduce((at: Json, key: string) => at?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], this.spec);
    }
    return current;
  }

  private validate(schema: Json, value: unknown, label: string): string[] {
    const key = JSON.stringify(schema);
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(rebase(schema));
      this.validators.set(key, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${label}: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  }
}

/** Local `#/components/...` references point into the registered spec document. */
function rebase(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${SPEC_ID}${v}` : rebase(v)]));
}

function headerValue(headers: HttpExchange['headers'], name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

function parseBody(type: string, body: string): unknown {
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(body));
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}
