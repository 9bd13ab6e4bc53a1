import type { SynthesizedStackJson } from './stack-review';

/** One resource of a synthesized stack, with the address Terraform knows it by. */
export interface SynthesizedResource {
  /** `<type>.<name>`, e.g. `aws_vpc.cockroach-vpc_vpc_1A2B3C4D`: usable in HCL expressions. */
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/** Every resource of `type` in the stack, in synthesis order (empty when there is none). */
export function resourcesOfType(stack: SynthesizedStackJson, type: string): SynthesizedResource[] {
  return Object.entries(stack.resource?.[type] ?? {}).map(([name, config]) => ({ address: `${type}.${name}`, type, name, config }));
}

/** The Terraform reference to `attribute` of a resource, as cdktf writes it in JSON: `${aws_vpc.x.id}`. */
export function referenceTo(resource: SynthesizedResource, attribute: string): string {
  return `\${${resource.address}.${attribute}}`;
}

/** Every data source of `type` in the stack; `address` is `data.<type>.<name>`. */
export function dataSourcesOfType(stack: SynthesizedStackJson, type: string): SynthesizedResource[] {
  return Object.entries(stack.data?.[type] ?? {}).map(([name, config]) => ({ address: `data.${type}.${name}`, type, name, config }));
}
