import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../src/cli/main';
import { tempDir } from '../support';

const SHOP = path.join(__dirname, '..', 'compose', 'fixtures', 'shop', 'docker-compose.yml');

/** Runs the CLI in process, capturing what it prints. */
function run(...args: string[]): { status: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => { stdout += String(chunk); return true; });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => { stderr += String(chunk); return true; });
  try {
    const status = main(['node', 'dit-gitops', 'import', 'compose', ...args]);
    return { status, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('dit-gitops import compose', () => {
  test('writes the definitions to --out and prints the report, one line per decision', () => {
    const out = path.join(tempDir(), 'shop.ts');
    const result = run(SHOP, '--project', 'shop', '--domain', 'shop.example.com', '--out', out);
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('seed: left out (its profile is not enabled)');
    expect(lines).toContain('frontend: healthcheck → httpGet /healthz :3000 (readiness and liveness: period 30s, timeout 5s, failureThreshold 3) + startup (2 × 30s for start_period 60s)');
    expect(lines).toContain('db: internal (databases stay internal)');
    expect(lines[lines.length - 1]).toBe(`dit-gitops: wrote ${out} (4 components, 2 environments)`);
    expect(fs.readFileSync(out, 'utf8')).toMatch(/^\/\/ Imported from .*docker-compose\.yml by `dit-gitops import compose`\./);
  });

  test('without --out the TypeScript goes to standard output and the report to standard error', () => {
    const result = run(SHOP, '--project', 'shop', '--domain', 'shop.example.com', '--ingress-class', 'nginx', '--profile', 'seed');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^\/\/ Imported from /);
    expect(result.stdout).toMatch(/const ingressNginx = Peer\.endpoint/);
    // No port, no healthcheck, nothing dials it: a worker.
    expect(result.stdout).toMatch(/const seed = new DitWorker\(app, 'seed'/);
    expect(result.stderr).toMatch(/^frontend: client \(name frontend reads as a front end\)$/m);
  });

  test('bad input: every problem on stderr, exit 1, nothing written', () => {
    const dir = tempDir();
    const compose = path.join(dir, 'docker-compose.yml');
    fs.writeFileSync(compose, 'services:\n  web:\n    ports: ["80:http"]\n  Bad_Name:\n    image: nginx\n');
    const out = path.join(dir, 'out.ts');
    const result = run(compose, '--project', 'shop', '--domain', 'shop.example.com', '--out', out);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe([
      // Bad_Name is renamed bad-name (a report line), not refused.
      'dit-gitops: 2 problems in the compose input:',
      `${compose} service web ports[0]: got "80:http"; expected [[HOST_IP:]HOST_PORT:]CONTAINER_PORT[/PROTOCOL], for example "8080:80" or "127.0.0.1:53:53/udp"`,
      `${compose} service web image: the service has neither image nor build; expected image: (a cluster runs images, it cannot build)`,
      '',
    ].join('\n'));
    expect(fs.existsSync(out)).toBe(false);
  });

  test('an existing --out is the team\'s file: not overwritten without --force', () => {
    const out = path.join(tempDir(), 'shop.ts');
    fs.writeFileSync(out, '// ours\n');
    const result = run(SHOP, '--project', 'shop', '--domain', 'shop.example.com', '--out', out);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`dit-gitops: ${out} exists; the imported file is the team's to edit, so it is not overwritten (pass --force to replace it)\n`);
    expect(fs.readFileSync(out, 'utf8')).toBe('// ours\n');
    expect(run(SHOP, '--project', 'shop', '--domain', 'shop.example.com', '--out', out, '--force').status).toBe(0);
  });

  test('a missing required option is a usage error', () => {
    const result = run(SHOP, '--domain', 'shop.example.com');
    // Exit 2, the reason first, then the command's usage.
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: required option '--project <name>' not specified\n\nUsage: dit-gitops import compose \[options\] <files\.\.\.>\n/);
  });

  test('a missing compose file is one clear line', () => {
    const result = run('/nonexistent/compose.yml', '--project', 'shop', '--domain', 'shop.example.com');
    expect(result).toStrictEqual({ status: 1, stdout: '', stderr: 'dit-gitops: /nonexistent/compose.yml: cannot be read (ENOENT); expected a readable compose file\n' });
  });
});
