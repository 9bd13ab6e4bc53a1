#!/usr/bin/env node
// Committed executable launcher: tsc does not set the executable bit on dist/cli.js.
require('../dist/cli.js');
