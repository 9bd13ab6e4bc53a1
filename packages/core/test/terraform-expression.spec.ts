import { describe, expect, it } from 'vitest';
import {
  type ExpressionScope,
  TerraformExpressionError,
  UNKNOWN,
  containsExpression,
  evaluateExpression,
  evaluateLeniently,
  parseExpression,
  referenceOf,
  renderTemplate,
  replaceTraversals,
  splitTemplate,
  templateTraversals,
  terraformJsonEncode,
  wholeInterpolation,
} from '../src';

const noRefs = () => UNKNOWN;
/** Lenient evaluation of the inside of one `${...}` (what review's derived outputs do with a whole-reference value). */
const lenient = (source: string, resolve: (path: readonly (string | number)[]) => unknown = noRefs) => evaluateLeniently(`\${${source}}`, resolve);
const strictScope = (values: Record<string, unknown>): ExpressionScope => ({
  resolve: (path, traversal) => {
    const key = path.join('.');
    if (!(key in values)) throw new TerraformExpressionError(`\${${traversal.root}...}: ${key} has no value`);
    return values[key];
  },
});

describe('one parser, lenient evaluation (the offline review derives outputs with it)', () => {
  it('evaluates literals, templates, lists and the functions stacks derive values with', () => {
    const refs = (path: readonly (string | number)[]) => (path.join('.') === 'data.terraform_remote_state.net.outputs.zone' ? 'db.acme.internal' : path.join('.') === 'aws_vpc.v.cidr_block' ? '10.30.0.0/16' : UNKNOWN);
    expect(evaluateLeniently('sql.${data.terraform_remote_state.net.outputs.zone}', refs)).toBe('sql.db.acme.internal');
    expect(evaluateLeniently(['${aws_vpc.v.cidr_block}', 'x'], refs)).toEqual(['10.30.0.0/16', 'x']);
    expect(lenient('cidrhost(element(["10.30.10.0/24", "10.30.11.0/24"], 1), 10)')).toBe('10.30.11.10');
    expect(lenient('cidrhost("10.20.16.0/20", 300)')).toBe('10.20.17.44');
    expect(lenient('join("-", ["a", lower("B")])')).toBe('a-b');
    expect(evaluateLeniently('$${literal}', noRefs)).toBe('${literal}');
  });

  it('gives UNKNOWN for anything it cannot know statically, never a guess', () => {
    expect(lenient('aws_vpc.v.id')).toBe(UNKNOWN);
    expect(lenient('var.x == 1 ? "a" : "b"')).toBe(UNKNOWN);
    expect(lenient('jsonencode({ a = 1 })')).toBe(UNKNOWN);
    expect(evaluateLeniently('%{ if true }x%{ endif }', noRefs)).toBe(UNKNOWN);
    expect(evaluateLeniently('a-${aws_vpc.v.id}', noRefs)).toBe(UNKNOWN);
    // What strict evaluation throws on is UNKNOWN here: an unknown function, a missing index, a list in a string.
    expect(lenient('base64encode("x")')).toBe(UNKNOWN);
    expect(lenient('["a"][3]')).toBe(UNKNOWN);
    expect(evaluateLeniently('x-${["a"]}', noRefs)).toBe(UNKNOWN);
  });

  it('a single interpolation keeps its type; a template is text (HCL spec, template interpolation)', () => {
    expect(lenient('[1, 2]')).toEqual([1, 2]);
    expect(evaluateLeniently('${2}', noRefs)).toBe(2);
    expect(evaluateLeniently('n=${2}', noRefs)).toBe('n=2');
    expect(evaluateLeniently('${true}/${1}', noRefs)).toBe('true/1');
  });
});

describe('one parser, strict evaluation (the Helm stand-ins render with it)', () => {
  it('resolves references, nested templates in keys, calls and indexes on their results', () => {
    const scope = strictScope({ 'aws_vpc.v.cidr_block': '10.0.0.0/16', 'local.m.a-1': 'x', 'var.n': 1 });
    expect(renderTemplate('cidr: ${aws_vpc.v.cidr_block}', scope)).toBe('cidr: 10.0.0.0/16');
    expect(renderTemplate('${local.m["a-${var.n}"]}', scope)).toBe('x');
    expect(renderTemplate('${element(["a", "b"], 3)}${(["c"])[0]}', scope)).toBe('bc');
    expect(renderTemplate('${jsondecode("{\\"k\\": [1, 2]}").k[1]}', scope)).toBe('2');
    expect(renderTemplate('$${kept} %%{kept}', scope)).toBe('${kept} %{kept}');
  });

  it('throws, naming the expression, on what it cannot resolve', () => {
    const scope = strictScope({ 'var.list': ['a'] });
    expect(() => renderTemplate('${a ? b : c}', scope)).toThrow('No stand-in for the Terraform expression ${a ? b : c} (unsupported syntax at "? b : c")');
    expect(() => renderTemplate('${base64encode("x")}', scope)).toThrow(/No stand-in for the Terraform function call \$\{base64encode\("x"\)\} \(supported: element, /);
    expect(() => renderTemplate('${var.list}', scope)).toThrow('${var.list} is a list: Terraform cannot interpolate it into a string.');
    expect(() => renderTemplate('${lookup(jsondecode("{}"), "k")}', scope)).toThrow('${lookup(jsondecode("{}"), "k")}: lookup(): the map has no key "k".');
    expect(() => renderTemplate('${var.missing}', scope)).toThrow('var.missing has no value');
    expect(() => renderTemplate('${unterminated', scope)).toThrow(TerraformExpressionError);
    expect(() => renderTemplate('%{ if x }y%{ endif }', scope)).toThrow(/template directive/);
  });

  it('the same tree: a legacy `.0` index and `[0]` are one step; braces inside string literals do not close the interpolation', () => {
    expect(evaluateExpression(parseExpression('a.b.0.c'), strictScope({ 'a.b.0.c': 'x' }))).toBe('x');
    expect(evaluateExpression(parseExpression('a.b[0].c'), strictScope({ 'a.b.0.c': 'x' }))).toBe('x');
    expect(splitTemplate('a${lookup(local.m, "}")}b')).toEqual(['a', { source: 'lookup(local.m, "}")' }, 'b']);
  });

  it('jsonencode sorts keys and escapes HTML-sensitive characters as Terraform (Go) does', () => {
    expect(terraformJsonEncode({ b: '2', a: '<&>' })).toBe('{"a":"\\u003c\\u0026\\u003e","b":"2"}');
  });
});

describe('references and whole interpolations, as policy rules read them', () => {
  it('a value that is exactly one reference names its resource and attribute path', () => {
    expect(referenceOf('${kubernetes_namespace_v1.ns.metadata.0.name}')).toEqual({
      mode: 'managed',
      type: 'kubernetes_namespace_v1',
      name: 'ns',
      address: 'kubernetes_namespace_v1.ns',
      attribute: ['metadata', 0, 'name'],
      text: 'kubernetes_namespace_v1.ns.metadata.0.name',
    });
    expect(referenceOf('${ data.aws_iam_policy_document.d.json }')).toMatchObject({ mode: 'data', address: 'data.aws_iam_policy_document.d', attribute: ['json'] });
    expect(referenceOf('${aws_security_group.sg["blue"].id}')).toMatchObject({ address: 'aws_security_group.sg', attribute: ['blue', 'id'] });
  });

  it('anything else is not a reference: templates, calls, named values, literals', () => {
    // `}` then `{` in the literal text: the old regex (/^\$\{(.+)\}$/) took this for one reference to aws_security_group.a.
    expect(referenceOf('${aws_security_group.a.id}-{b}')).toBeUndefined();
    expect(wholeInterpolation('${aws_security_group.a.id}-{b}')).toBeUndefined();
    expect(referenceOf('${element(aws_subnet.s.*.id, 0)}')).toBeUndefined();
    expect(referenceOf('${var.cidr}')).toBeUndefined();
    expect(referenceOf('$${aws_vpc.v.id}')).toBeUndefined();
    expect(referenceOf(42)).toBeUndefined();
    expect(wholeInterpolation('${var.x ? "${a}" : b}')).toBe('var.x ? "${a}" : b');
  });

  it('containsExpression: an escaped `$${` is literal text, an interpolation or directive is not', () => {
    expect(containsExpression('$${literal}')).toBe(false);
    expect(containsExpression('plain {json}')).toBe(false);
    expect(containsExpression('a-${x}')).toBe(true);
    expect(containsExpression('%{ if x }y%{ endif }')).toBe(true);
    expect(containsExpression('${unterminated')).toBe(true);
  });
});

describe('traversals found and rewritten through the parse tree (the rehearsal points references at stand-ins with it)', () => {
  it('finds references in arguments, object constructors, nested templates and index keys, and not in literal text', () => {
    const text = 'see tls_private_key.a.pem: ${jsonencode({"ca.crt" = tls_cert.c.pem, key = lookup(local.m, "${var.k}")})}';
    expect(templateTraversals(text).map((t) => `${t.root}.${t.steps.map((s) => (s.kind === 'attr' ? s.name : '[]')).join('.')}`)).toEqual(['tls_cert.c.pem', 'local.m', 'var.k']);
  });

  it('rewrites only the interpolations holding a replaced traversal; the rest of the string stays byte for byte', () => {
    const text = 'keep  ${ var.x } tls_cert.c.pem $${y} ${jsonencode({"ca.crt" = tls_cert.c.pem})}';
    const rewritten = replaceTraversals(text, (t) => (t.root === 'tls_cert' ? { kind: 'traversal', root: 'stand_in', steps: t.steps.slice(1) } : undefined));
    expect(rewritten).toBe('keep  ${ var.x } tls_cert.c.pem $${y} ${jsonencode({"ca.crt" = stand_in.pem})}');
    expect(() => replaceTraversals('${a ? b : c}', () => undefined)).toThrow(TerraformExpressionError);
  });
});
