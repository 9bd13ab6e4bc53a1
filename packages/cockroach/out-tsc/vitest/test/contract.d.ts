import { OutputsContract } from '@crdb-ory/core';
export { COCKROACH_OUTPUTS, COCKROACH_PKI_OUTPUTS } from '../src';
export declare function terraformOutputNames(contract: OutputsContract): string[];
//# sourceMappingURL=contract.d.ts.map