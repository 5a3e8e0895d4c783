import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { readTree, synthInto, tempDir } from '../support';

const ROOT = path.join(__dirname, '..', '..');

// What a user sees: `dit-gitops synth` (runSynth) on definitions with three mistakes.
const DEFINITIONS = `
import { DitApi, DitEnvironment, GitOpsApp, Peer, Port } from ${JSON.stringify(path.join(ROOT, 'src'))};

export function defineTeam(app: GitOpsApp): void {
  new DitEnvironment(app, 'staging', { namespace: 'team', domain: 'staging.example.com' });
  const api = new DitApi(app, 'api', { image: { tag: 'v1.0.0' }, resources: { limits: { memory: '500 mb' } }, interval: '10 minutes' });
  api.connections.allowFrom(Peer.traefik()).allowTo(Peer.cidr('cafe/64'), Port.tcp(443));
}
`;

describe('dit-gitops synth on bad definitions', () => {
  it('prints every problem without a stack trace, exits 1 and leaves the tree byte-identical', () => {
    const dir = tempDir('dit-gitops-e2e-bad-');
    const outdir = path.join(dir, 'dist');
    synthInto(outdir);
    const before = readTree(outdir);
    const definitions = path.join(dir, 'team.ts');
    fs.writeFileSync(definitions, DEFINITIONS);

    const result = spawnSync('node', [path.join(ROOT, 'bin/dit-gitops.js'), 'synth', '--definitions', definitions, '--outdir', outdir], { encoding: 'utf8' });

    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe([
      `dit-gitops: synthesis failed, ${outdir}/ left as it was: 3 problems in the definitions:`,
      '  api connections.allowTo(cidr-cafe-64): got "cafe/64": "cafe" is neither an IPv4 nor an IPv6 address; expected an IPv4 or IPv6 CIDR such as 10.0.0.0/8 or fd00::/8 (prefix 0-32 for IPv4, 0-128 for IPv6)',
      '  api interval: got "10 minutes"; expected a Go duration as Flux\'s CRDs accept it: numbers with ms, s, m or h, such as 30s, 10m or 1h30m',
      '  api resources.limits.memory: got "500 mb"; expected a Kubernetes quantity such as 250m, 0.5, 512Mi or 1Gi (a number, then Ki/Mi/Gi/Ti/Pi/Ei, n/u/m/k/M/G/T/P/E or an exponent; no spaces)',
      '',
    ].join('\n'));
    expect(readTree(outdir)).toStrictEqual(before);
  });
});
