import { describe, expect, it } from 'vitest';
import { fillTemplate, renderScriptFile, renderScriptPart } from '../src/scripts/script-template';

describe('script templates', () => {
  it('fills each @@NAME@@ and leaves bash of its own alone', () => {
    expect(fillTemplate('t.sh', 'echo "${HOME:-} $ROOT@@DIR@@/@@FILE@@" "${a[@]}"\n', { DIR: '/etc/cockroach', FILE: 'node.env' })).toBe('echo "${HOME:-} $ROOT/etc/cockroach/node.env" "${a[@]}"\n');
  });

  it('inserts a value as it is, never reading placeholders in it', () => {
    expect(fillTemplate('t.sh', '@@A@@ @@B@@', { A: '@@B@@', B: 2 })).toBe('@@B@@ 2');
  });

  it('refuses a placeholder without a value, naming the template and the placeholder', () => {
    expect(() => fillTemplate('boot.sh', 'install "$ROOT@@BINARY@@" "$ROOT@@LIB_DIR@@"', { BINARY: '/usr/local/bin/cockroach' })).toThrow('script template boot.sh: no value for @@LIB_DIR@@');
  });

  it('refuses a value without a placeholder (a renamed placeholder fails at synthesis, not on a node)', () => {
    expect(() => fillTemplate('boot.sh', 'install "$ROOT@@BINARY@@"', { BINARY: '/usr/local/bin/cockroach', BINARY_DIR: '/usr/local/bin' })).toThrow('script template boot.sh: no placeholder for BINARY_DIR');
  });

  it('reads the template files of the package, a part without its final newline', () => {
    expect(renderScriptFile('write-file.sh', { FILE_PATH: '/x', FILE_MODE: '0600', FILE_CONTENT: 'hello', HEREDOC_MARKER: 'EOF' })).toBe(`cat >"$ROOT/x" <<'EOF'\nhello\nEOF\nchmod 0600 "$ROOT/x"\n`);
    expect(renderScriptPart('write-file.sh', { FILE_PATH: '/x', FILE_MODE: '0600', FILE_CONTENT: 'hello', HEREDOC_MARKER: 'EOF' })).toBe(`cat >"$ROOT/x" <<'EOF'\nhello\nEOF\nchmod 0600 "$ROOT/x"`);
    expect(() => renderScriptFile('boot.sh')).toThrow(/script template boot.sh: no value for @@SHELL_COMMON@@/);
  });
});
