import { OVERLAYS, overlayPath, validate } from './support/manifests';

// `kubectl kustomize` renders each overlay; every object is validated against the Kubernetes
// 1.36 API schemas shipped in the kubernetes-models package, offline (kube/validate-manifests.mjs).
const FIXTURES = 'tools/checks/src/kube/fixtures';

describe('deploy/ renders and validates offline', () => {
  jest.setTimeout(60_000);

  it('has the dev and production overlays', () => {
    expect(OVERLAYS).toEqual(expect.arrayContaining(['dev', 'production']));
  });

  it.each(OVERLAYS)('renders overlays/%s, and every object matches the Kubernetes 1.36 schemas', (overlay) => {
    const report = validate(overlayPath(overlay));
    expect(report.schemas.kubernetes).toBe('1.36.0');
    const [result] = report.results;
    expect(result.problems).toEqual([]);
    expect(result.objects.map((o) => o.kind)).toEqual(expect.arrayContaining(['Deployment', 'Service', 'Job', 'NetworkPolicy']));
  });

  it('rejects an overlay that sets a Deployment\'s replicas to "two"', () => {
    const [result] = validate(`${FIXTURES}/replicas-as-string`).results;
    expect(result.problems).toEqual([{ object: 'Deployment incident-dev/ingest', message: '/spec/replicas must be integer' }]);
  });

  it('rejects a Deployment without a selector and a container without a name', () => {
    const [result] = validate(`${FIXTURES}/deployment-without-selector.yaml`).results;
    expect(result.problems.map((p) => p.message)).toEqual([
      '/spec must have required property selector',
      '/spec/template/spec/containers/0 must have required property name',
    ]);
  });

  it('rejects an API version that Kubernetes 1.36 no longer serves', () => {
    const [result] = validate(`${FIXTURES}/removed-api-version.yaml`).results;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0].message).toMatch(/policy\/v1beta1 is not served/);
  });

  it('reports a kustomization that does not render instead of passing it', () => {
    const [result] = validate(`${FIXTURES}`).results; // a folder with no kustomization.yaml
    expect(result.objects).toEqual([]);
    expect(result.problems[0].message).toMatch(/kustomize .* failed/);
  });
});
