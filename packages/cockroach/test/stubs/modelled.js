// Shared by the JavaScript stubs: `modelled('<id>')` marks the code of one modelled behaviour,
// a row of the stub's `<stub>.behaviours.md` table (README.md). It appends the id to
// $STUB_STATE/behaviours.log, so a test can see that a probe went through that behaviour.
const fs = require('node:fs');
const path = require('node:path');

module.exports = function modelled(id) {
  const dir = process.env.STUB_STATE;
  if (dir) fs.appendFileSync(path.join(dir, 'behaviours.log'), `${id}\n`);
};
