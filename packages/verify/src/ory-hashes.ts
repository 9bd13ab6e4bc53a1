import { createHash, pbkdf2Sync, timingSafeEqual } from 'node:crypto';

/**
 * The `signature` column of an access token's row in `hydra_oauth2_access` (Hydra v26):
 * hex(SHA-384(s)), where s is the token's last dot-separated part (opaque `ory_at_<key>.<sig>`
 * or a JWT's signature).
 */
export function hydraAccessTokenSignature(accessToken: string): string {
  const parts = accessToken.split('.');
  const signature = parts.length === 2 || parts.length === 3 ? (parts.at(-1) ?? '') : '';
  return createHash('sha384').update(signature).digest('hex');
}

/** Hash encodings Ory writes for secrets and passwords (bcrypt, PBKDF2, Argon2, scrypt, …). */
const ORY_HASH = /^\$(2[abxy]?|pbkdf2-sha\d{1,3}|argon2id?|scrypt|sha\d+|ssha\d*|md5|firescrypt)\$/;

export function looksLikeOryHash(value: string): boolean {
  return ORY_HASH.test(value);
}

const PBKDF2_DIGESTS: Record<string, string> = { sha1: 'sha1', sha256: 'sha256', sha512: 'sha512' };

/**
 * Checks `secret` against Ory's PBKDF2 encoding `$pbkdf2-<digest>$i=<n>,l=<len>$<salt>$<hash>`
 * (base64 without padding). Returns undefined for encodings it cannot check here (e.g. bcrypt).
 */
export function verifyPbkdf2(secret: string, encoded: string): boolean | undefined {
  const match = /^\$pbkdf2-(sha\d+)\$i=(\d+),l=(\d+)\$([^$]+)\$([^$]+)$/.exec(encoded);
  const digest = match && PBKDF2_DIGESTS[match[1]];
  if (!match || !digest) return undefined;
  const expected = Buffer.from(match[5], 'base64');
  const actual = pbkdf2Sync(secret, Buffer.from(match[4], 'base64'), Number(match[2]), Number(match[3]), digest);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Enough of a hash to recognise it in a record, not enough to attack it. */
export function abbreviateHash(value: string): string {
  return value.length > 24 ? `${value.slice(0, 24)}…` : value;
}
