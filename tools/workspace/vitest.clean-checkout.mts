import { projectTestConfig } from '../../vitest.shared.mjs';

/** The `clean-checkout` target: every shipped command, run from a clean copy of the whole tree (slow; its inputs are every file). */
export default projectTestConfig(import.meta.dirname, { include: ['test/clean-checkout/**/*.spec.ts'], testTimeout: 600_000, hookTimeout: 180_000 });
