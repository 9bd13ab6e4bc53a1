import { describe, expect, it } from 'vitest';
import { binProblems, entryPointFileProblems, manifestTargets } from '../src';
import { manifest, packed, wellFormedContents } from './packed-package';

describe('entryPointFileProblems', () => {
  it('collects main, types and every exports target', () => {
    expect(manifestTargets(manifest()).sort()).toEqual(['dist/index.d.ts', 'dist/index.js', 'src/index.ts']);
  });

  it('accepts a package that ships every target', () => {
    expect(entryPointFileProblems(manifest(), packed(wellFormedContents()))).toEqual([]);
  });

  it('reports an exports target that is not shipped', () => {
    const contents = wellFormedContents();
    delete contents['src/index.ts'];
    expect(entryPointFileProblems(manifest(), packed(contents))).toEqual(['package.json points at src/index.ts, which is not in the package']);
  });
});

describe('binProblems', () => {
  const withBin = manifest({ bin: { 'crdb-ory-example': 'dist/cli.js' } });

  it('accepts a shipped bin with a node shebang', () => {
    const contents = { ...wellFormedContents(), 'src/cli.ts': '#!/usr/bin/env node\n', 'dist/cli.js': '#!/usr/bin/env node\n"use strict";' };
    expect(binProblems(withBin, packed(contents))).toEqual({ problems: [], pending: [] });
  });

  it('reports a bin without a shebang', () => {
    const contents = { ...wellFormedContents(), 'src/cli.ts': '', 'dist/cli.js': '"use strict";' };
    expect(binProblems(withBin, packed(contents)).problems).toEqual([
      'bin "crdb-ory-example" (dist/cli.js) does not start with "#!/usr/bin/env node"',
    ]);
  });

  it('reports a bin whose source exists but was not built', () => {
    const contents = { ...wellFormedContents(), 'src/cli.ts': '#!/usr/bin/env node\n' };
    expect(binProblems(withBin, packed(contents))).toEqual({
      problems: ['bin "crdb-ory-example" points at dist/cli.js, which is not in the package'],
      pending: [],
    });
  });

  it('reports a bin declared ahead of its source as pending, not as passing', () => {
    expect(binProblems(withBin, packed(wellFormedContents()))).toEqual({
      problems: [],
      pending: ['bin "crdb-ory-example" -> dist/cli.js: src/cli.ts does not exist yet'],
    });
  });
});
