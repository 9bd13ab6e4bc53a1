import { describe, expect, it } from 'vitest';
import { renamedPublishedReads } from '../src';

describe('published parameters a changed configuration reads under new names', () => {
  const reads = (prefix: string) => ({
    data: {
      aws_ssm_parameter: {
        'published-cockroach-pki-node_secret_arns': { name: `/${prefix}/cockroach-pki/node_secret_arns` },
        'al2023-ami': { name: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64' },
      },
    },
  });

  it('pairs each published read whose name changed with its rehearsed name, and nothing else', () => {
    expect(renamedPublishedReads(reads('crdb-ory2'), reads('crdb-ory'))).toEqual([['/crdb-ory/cockroach-pki/node_secret_arns', '/crdb-ory2/cockroach-pki/node_secret_arns']]);
    expect(renamedPublishedReads(reads('crdb-ory'), reads('crdb-ory'))).toEqual([]);
    expect(renamedPublishedReads(reads('crdb-ory2'), {})).toEqual([]);
  });
});
