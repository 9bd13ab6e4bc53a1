'use strict';
// `node --require` this into an operations command a test runs: its JavaScript stubs run in its process (stub-host.cjs).
require('./stub-host.cjs').installInProcessStubs();
