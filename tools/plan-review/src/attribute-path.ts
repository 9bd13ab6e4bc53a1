import type { AttributePath } from '@crdb-ory/core/terraform';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `["root_block_device", 0, "volume_size"]` as `root_block_device[0].volume_size`; other map keys as `tags["a b"]`. */
export function renderAttributePath(path: AttributePath): string {
  return path
    .map((step, index) => {
      if (typeof step === 'number') return `[${step}]`;
      if (!IDENTIFIER.test(step)) return `[${JSON.stringify(step)}]`;
      return index === 0 ? step : `.${step}`;
    })
    .join('');
}
