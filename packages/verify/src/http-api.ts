import { classifyError, VerifyError } from './errors';

export interface ApiRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly headers?: Record<string, string>;
  /** Sent as JSON. */
  readonly json?: unknown;
  /** Sent as application/x-www-form-urlencoded. */
  readonly form?: Record<string, string>;
  /** Statuses that mean success; anything else is an API error. */
  readonly expect: readonly number[];
}

export interface ApiResponse {
  readonly status: number;
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- Ory's JSON, checked field by field
}

const MAX_ERROR_BODY = 600;

/** Ory's error bodies: `{"error": {"code", "status", "reason", "message"}}` or OAuth2 `{"error", "error_description"}`. */
export function describeOryError(text: string): string {
  const body = text.length > MAX_ERROR_BODY ? `${text.slice(0, MAX_ERROR_BODY)}…` : text;
  return body.trim() === '' ? '(empty body)' : body.trim();
}

/** One call to an Ory API with a bounded time; network, TLS and unexpected statuses become VerifyErrors. */
export async function callApi(request: ApiRequest, timeoutMs: number): Promise<ApiResponse> {
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  let body: string | undefined;
  if (request.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.json);
  } else if (request.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(request.form).toString();
  }
  const target = `${request.method} ${request.url}`;
  let response: Response;
  let text: string;
  try {
    response = await fetch(request.url, { method: request.method, headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    text = await response.text();
  } catch (error) {
    throw classifyError(error, target, timeoutMs, 'api');
  }
  if (!request.expect.includes(response.status)) {
    throw new VerifyError('api', `${target} answered ${response.status} (expected ${request.expect.join(' or ')}): ${describeOryError(text)}`, apiCause(response.status));
  }
  let parsed: unknown = null;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new VerifyError('api', `${target} answered ${response.status} with a body that is not JSON: ${describeOryError(text)}`, 'the URL points at something that is not this Ory API (a proxy or another service)');
    }
  }
  return { status: response.status, body: parsed };
}

function apiCause(status: number): string {
  if (status === 401 || status === 403) return 'the API refused the credentials or the request (see Ory\'s error body)';
  if (status === 404) return 'wrong URL for this API (public vs admin port, or a path prefix), or the resource is gone';
  if (status >= 500) return 'the service failed; its logs have the details (often its database connection)';
  return 'Ory rejected the request (see its error body): often configuration, e.g. the identity schema or enabled flows';
}
