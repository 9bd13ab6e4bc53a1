import { projectTestConfig } from '../../vitest.shared.mjs';

// Two workers even on two cores (vitest's default there is one): the slow files (the day-2
// commands against stubs, the node scripts in their sandbox) mostly wait for child processes, so
// two of them overlap instead of queueing.
export default projectTestConfig(import.meta.dirname, { maxWorkers: 2 });
