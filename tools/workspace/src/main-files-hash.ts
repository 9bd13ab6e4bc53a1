import { filesHash } from './files-hash';

/** `main-files-hash.ts <dir>...`: prints the hash of those folders (an Nx runtime input). */
process.stdout.write(`${filesHash(process.cwd(), process.argv.slice(2))}\n`);
