import { type ViteUserConfig } from 'vitest/config';
export declare function projectTestConfig(root: string, overrides?: ViteUserConfig['test']): ViteUserConfig;
//# sourceMappingURL=vitest.shared.d.ts.map