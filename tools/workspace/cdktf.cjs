'use strict';
/**
 * `npm run cdktf -- <command> [stacks]`: the cdktf CLI (cdktf-cli, as `npx cdktf` runs it) with
 * its telemetry call turned off.
 *
 * After every synth (and deploy, diff, destroy), cdktf-cli 0.21 posts telemetry to
 * https://checkpoint-api.hashicorp.com/v1/telemetry/cdktf (`ReportRequest` in
 * @cdktf/commons/src/checkpoint.ts) and, offline, prints `[ERROR] default - getaddrinfo
 * ENOTFOUND checkpoint-api.hashicorp.com`. The only switch is the environment variable
 * `CHECKPOINT_DISABLE` (@cdktf/commons/src/environment.ts); cdktf.json has none. So this is
 * where the project sets it: a user who sets it, to any value, keeps their own.
 *
 * Plain JavaScript on purpose: it starts the CLI in this process, before the CLI reads its environment.
 */
const { dirname, join } = require('node:path');

if (process.env.CHECKPOINT_DISABLE === undefined) process.env.CHECKPOINT_DISABLE = '1';
const manifest = require.resolve('cdktf-cli/package.json');
require(join(dirname(manifest), require(manifest).bin.cdktf));
