/** Types of stub-host.cjs (plain JavaScript, like the stubs it runs). */
export declare function installInProcessStubs(): void;
export declare function runStubInProcess(program: string, args: readonly string[], env: Readonly<Record<string, string | undefined>>): { status: number; stdout: string; stderr: string };
