import { describe, expect, it } from 'vitest';
import { mockedApplyTestFile } from '../src';

describe('mockedApplyTestFile', () => {
  it('renders a mocked provider, its resource defaults and one assert per assertion', () => {
    const file = mockedApplyTestFile([{ condition: 'aws_vpc.a.enable_dns_support', errorMessage: 'DNS must be on.' }], { aws_iam_role: { arn: 'arn:aws:iam::123456789012:role/x' } });
    expect(file).toContain('mock_provider "aws" {\n  mock_resource "aws_iam_role" {\n    defaults = {\n      arn = "arn:aws:iam::123456789012:role/x"\n    }\n  }\n}');
    expect(file).toContain('run "mocked_apply" {\n  command = apply');
    expect(file).toContain('  assert {\n    condition     = aws_vpc.a.enable_dns_support\n    error_message = "DNS must be on."\n  }');
  });

  it('escapes template sequences and quotes in messages so HCL prints them literally', () => {
    const file = mockedApplyTestFile([{ condition: 'true', errorMessage: 'a "quoted" ${not.interpolated} %{ not a directive }' }]);
    expect(file).toContain('error_message = "a \\"quoted\\" $${not.interpolated} %%{ not a directive }"');
  });
});
