import { main } from './cli';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`rehearse: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
