import type { StackJson } from './emulator-overrides';

/**
 * The region of a stack's aws provider: its default one, or the aliased one a resource names
 * (`provider = "aws.us-east-2"`, as the multi-region app's global stacks reach other regions).
 */
export function providerRegion(stack: StackJson, provider?: string): string {
  const blocks: StackJson[] = stack['provider']?.['aws'] ?? [];
  const alias = provider?.startsWith('aws.') ? provider.slice('aws.'.length) : undefined;
  const block = blocks.find((candidate) => (alias === undefined ? !candidate['alias'] : candidate['alias'] === alias));
  const region = block?.['region'];
  if (typeof region !== 'string' || region === '') throw new Error(`the stack's aws provider${alias ? ` "${alias}"` : ''} names no region`);
  return region;
}

/** The region of the resource at `address` (`aws_kms_key.us-east-2-kms-key`) in the stack: its provider's. */
export function resourceRegion(stack: StackJson, address: string): string {
  const [type = '', ...name] = address.split('.');
  const resource: StackJson | undefined = stack['resource']?.[type]?.[name.join('.')];
  if (!resource) throw new Error(`the stack has no resource ${address}`);
  return providerRegion(stack, typeof resource['provider'] === 'string' ? resource['provider'] : undefined);
}

/** Every region a stack's aws providers reach, its default provider's first. */
export function stackRegions(stack: StackJson): string[] {
  const blocks: StackJson[] = stack['provider']?.['aws'] ?? [];
  return [...new Set([providerRegion(stack), ...blocks.map((block) => String(block['region']))])];
}
