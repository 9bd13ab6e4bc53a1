import { projectTestConfig } from '../../vitest.shared.mjs';

// test/clean-checkout/ runs in its own target (`clean-checkout`), whose inputs are the whole tree.
export default projectTestConfig(import.meta.dirname, { exclude: ['test/clean-checkout/**', '**/node_modules/**'] });
