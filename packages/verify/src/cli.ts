#!/usr/bin/env node
import { EXIT_CHECK_FAILED, main } from './main';

main(process.argv.slice(2), process.env, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`crdb-ory-verify: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = EXIT_CHECK_FAILED;
  },
);
