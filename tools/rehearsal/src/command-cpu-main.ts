import { measureCommands } from './command-cpu';

/**
 * `node --conditions=@crdb-ory/source --require @crdb-ory/workspace/register
 * tools/rehearsal/src/command-cpu-main.ts [stack...] [NAME=value...]`: the CPU of each terraform
 * command type on scratch copies of baseline stacks (default `state network`), with extra
 * environment variables for terraform and its provider (docs/rehearsal.md, "Where the
 * rehearsal's CPU goes").
 */
const args = process.argv.slice(2);
const stacks = args.filter((arg) => !arg.includes('='));
const env = Object.fromEntries(args.filter((arg) => arg.includes('=')).map((arg) => [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]));
measureCommands(stacks.length > 0 ? stacks : ['state', 'network'], env, console.log).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
