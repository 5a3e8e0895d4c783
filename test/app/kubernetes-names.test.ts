import { Problems, checkResourceQuantities, fluxDurationProblem, helmReleaseNameProblem, labelKeyProblem, labelValueProblem, quantityProblem } from '../../src';

describe('values the reading system accepts pass', () => {
  it.each(['users', 'users-api', 'a', 'my.release', 'a'.repeat(53)])('Helm release name %s', (name) => {
    expect(helmReleaseNameProblem(name)).toBeUndefined();
  });

  it.each(['app', 'app.kubernetes.io/name', 'k8s-app', 'example.com/Team_Name', 'a'.repeat(63)])('label key %s', (key) => {
    expect(labelKeyProblem(key)).toBeUndefined();
  });

  it.each(['', 'web', 'v1.2.3', 'My_Value-1', 'v'.repeat(63)])('label value %s', (value) => {
    expect(labelValueProblem(value)).toBeUndefined();
  });

  it.each(['50m', '0.5', '1', '512Mi', '1Gi', '1.5Gi', '1e3', '2E6', '100k', '10M', '250u', '5n', '.5', '+1'])('quantity %s', (quantity) => {
    expect(quantityProblem(quantity)).toBeUndefined();
  });

  it('a quantity as a number', () => {
    expect(quantityProblem(2)).toBeUndefined();
  });

  it.each(['1h', '10m', '30s', '500ms', '1h30m', '1.5h', '0s'])('Flux duration %s', (duration) => {
    expect(fluxDurationProblem(duration)).toBeUndefined();
  });
});

describe('values the reading system refuses fail', () => {
  it.each(['Users', 'users_api', '-users', 'users-', 'a'.repeat(54), ''])('Helm release name %j', (name) => {
    expect(helmReleaseNameProblem(name)).toMatch(/; expected a Helm release name: at most 53 /);
  });

  it.each(['', '/app', 'a/b/c', 'UPPER.example.com/app', '-app', `${'a'.repeat(254)}/app`, 'a'.repeat(64)])('label key %j', (key) => {
    expect(labelKeyProblem(key)).toMatch(/; expected \[prefix\/\]name/);
  });

  it.each(['-web', 'web-', 'my web', 'v'.repeat(64)])('label value %j', (value) => {
    expect(labelValueProblem(value)).toMatch(/is not a valid label value/);
  });

  it.each(['500 mb', '256mi', '1GB', '-1', 'Mi', '', '1.2.3', '2 cores'])('quantity %j', (quantity) => {
    expect(quantityProblem(quantity)).toBe(`got ${JSON.stringify(quantity)}; expected a Kubernetes quantity such as 250m, 0.5, 512Mi or 1Gi (a number, then Ki/Mi/Gi/Ti/Pi/Ei, n/u/m/k/M/G/T/P/E or an exponent; no spaces)`);
  });

  it('a negative or non-finite number', () => {
    expect(quantityProblem(-1)).toMatch(/^got -1; expected a Kubernetes quantity/);
    expect(quantityProblem(NaN)).toMatch(/^got NaN; expected a Kubernetes quantity/);
  });

  it.each(['10 minutes', '1d', '300', '5M', '-5m', '1h 30m', ''])('Flux duration %j', (duration) => {
    expect(fluxDurationProblem(duration)).toBe(`got ${JSON.stringify(duration)}; expected a Go duration as Flux's CRDs accept it: numbers with ms, s, m or h, such as 30s, 10m or 1h30m`);
  });
});

describe('checkResourceQuantities', () => {
  it('names each bad quantity and a requests or limits that is no map', () => {
    const problems = new Problems();
    checkResourceQuantities({ requests: { cpu: '250m', memory: '512 mb' }, limits: ['1Gi'] }, { component: 'api', environment: 'prod', field: 'resources' }, problems);
    expect(problems.problems).toStrictEqual([
      { component: 'api', environment: 'prod', field: 'resources.requests.memory', message: quantityProblem('512 mb') },
      { component: 'api', environment: 'prod', field: 'resources.limits', message: 'got ["1Gi"]; expected a map of resource names to quantities, such as { cpu: 250m, memory: 512Mi }' },
    ]);
  });

  it('accepts absent resources and valid quantities', () => {
    const problems = new Problems();
    checkResourceQuantities(undefined, { component: 'api', field: 'resources' }, problems);
    checkResourceQuantities({ requests: { cpu: 0.5 }, limits: { memory: '1Gi' } }, { component: 'api', field: 'resources' }, problems);
    expect(problems.problems).toStrictEqual([]);
  });
});
