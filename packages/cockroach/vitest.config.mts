import { projectTestConfig } from '../../vitest.shared.mjs';

// The spec files share one module graph (`isolate: false`): each file no longer imports cdktf and
// the provider classes again, which was about half of the CPU of the files that synthesize
// (30 s against 13 s for the 21 files without processes, measured side by side). No spec here
// mocks a module or changes process-wide state (env, working directory, timers).
export default projectTestConfig(import.meta.dirname, { isolate: false });
