import { createHash } from 'node:crypto';

/**
 * Keto v26 stores every object and subject string as `uuid.NewV5(networkID, s)` (RFC 4122
 * UUIDv5: SHA-1 of the namespace UUID's 16 bytes followed by the UTF-8 string), with the
 * network id from `networks` as the namespace; `keto_uuid_mappings` maps it back.
 */
export function ketoUuid(networkId: string, value: string): string {
  const namespace = Buffer.from(networkId.replace(/-/g, ''), 'hex');
  if (namespace.length !== 16) throw new Error(`${networkId} is not a UUID`);
  const hash = createHash('sha1').update(namespace).update(value, 'utf8').digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
