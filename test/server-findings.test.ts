import { parseWarnings } from '../lib/cluster-client';
import { pointer, resultFindings } from '../lib/server-validate';

const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'kafbat' } };

describe('API server answers as findings', () => {
  test('several Warning headers joined in one value, with escaped quotes and commas', () => {
    expect(parseWarnings('299 - "unknown field \\"spec.foo\\"", 299 - "a, b"')).toEqual(['unknown field "spec.foo"', 'a, b']);
    expect(parseWarnings(undefined)).toEqual([]);
  });

  test('field paths as JSON pointers', () => {
    expect(pointer('spec.template.spec.containers[0].image')).toBe('/spec/template/spec/containers/0/image');
    expect(pointer('.spec.replica')).toBe('/spec/replica');
  });

  test('a rejection with causes: one finding per cause, at its field', () => {
    const findings = resultFindings('0006-services.k8s.yaml', deployment, {
      warnings: [],
      rejection: { code: 422, reason: 'Invalid', message: 'Deployment.apps "kafbat" is invalid', causes: [{ field: 'spec.selector', message: 'Invalid value: ...: field is immutable' }] },
    });
    expect(findings).toEqual([{ severity: 'error', file: '0006-services.k8s.yaml', object: 'Deployment/kafbat', path: '/spec/selector', message: 'refused by the API server (422 Invalid): Invalid value: ...: field is immutable' }]);
  });

  test('a rejection without causes names the field its message ends with; no reason shows the HTTP status', () => {
    const [finding] = resultFindings('f.yaml', deployment, {
      warnings: [],
      rejection: { code: 500, reason: '', message: 'failed to create typed patch object (ns/kafbat; apps/v1, Kind=Deployment): .spec.replica: field not declared in schema', causes: [] },
    });
    expect([finding.path, finding.message]).toEqual(['/spec/replica', 'refused by the API server (HTTP 500): field not declared in schema']);
  });

  test('a 403 says what permission a dry run needs; warnings are warnings at the field they name', () => {
    const findings = resultFindings('f.yaml', deployment, {
      warnings: ['metadata.name: a DNS label is recommended', 'unknown field "spec.foo"'],
      rejection: { code: 403, reason: 'Forbidden', message: 'deployments.apps "kafbat" is forbidden: User "viewer" cannot patch resource "deployments"', causes: [] },
    });
    expect(findings.map((f) => [f.severity, f.path])).toEqual([['warning', '/metadata/name'], ['warning', '/spec/foo'], ['error', '/']]);
    expect(findings[2].message).toMatch(/User "viewer" cannot patch .*\(a server-side dry run needs permission to patch this resource/);
  });
});
