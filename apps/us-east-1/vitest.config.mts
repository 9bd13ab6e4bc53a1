import { projectTestConfig } from '../../vitest.shared.mjs';

// Two workers even on two cores: the slow files here mostly wait for child processes
// (terraform, nx, the app as a process), so they overlap instead of queueing.
export default projectTestConfig(import.meta.dirname, { maxWorkers: 2, isolate: false });
