import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { HAS_SHARED, SHARED_DIR, synthInto, tempDir } from '../support';

// The reviewer's commands (validate, diff, graph) run as a user runs them: one process each.
const ROOT = path.join(__dirname, '..', '..');

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin/dit-gitops.js'), ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// The packaged schemas once the package ships them; until then $DIT_GITOPS_SCHEMAS or ../shared.
const PACKAGED = fs.existsSync(path.join(ROOT, 'schemas', 'kubernetes'));
const SCHEMAS = process.env.DIT_GITOPS_SCHEMAS ?? (HAS_SHARED ? path.join(SHARED_DIR, 'schemas') : undefined);
const schemaFlags = PACKAGED || !SCHEMAS ? [] : ['--schemas', SCHEMAS];
const describeWithSchemas = PACKAGED || SCHEMAS ? describe : describe.skip;

describeWithSchemas('dit-gitops validate', () => {
  const outdir = path.join(tempDir(), 'dist');
  synthInto(outdir);

  it('prints one line per built folder and a total, and exits 0 on the example', () => {
    const result = cli('validate', outdir, ...schemaFlags);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe([
      'clusters/development    8 objects  ok',
      'clusters/production     8 objects  ok',
      'clusters/staging        8 objects  ok',
      'main/development       13 objects  ok',
      'main/production        17 objects  ok',
      'main/staging           13 objects  ok',
      'dit-gitops validate: 6 folders, 67 objects, valid',
      '',
    ].join('\n'));
    expect(result.status).toBe(0);
  });

  it('names the environment, file, object and field of a broken staging overlay, and exits 1', () => {
    const broken = path.join(tempDir(), 'dist');
    fs.cpSync(outdir, broken, { recursive: true });
    const patch = path.join(broken, 'my-api/staging/release.yaml');
    fs.writeFileSync(patch, fs.readFileSync(patch, 'utf8').replace('spec:\n', 'spec:\n  suspended: true\n'));
    const result = cli('validate', broken, ...schemaFlags);
    expect(result.stdout.split('\n').slice(3, 7)).toStrictEqual([
      'main/development       13 objects  ok',
      'main/production        17 objects  ok',
      'main/staging           13 objects  1 finding',
      '  my-api/staging/release.yaml: HelmRelease/my-api spec.suspended: unknown field',
    ]);
    expect(result.stdout).toMatch(/\ndit-gitops validate: 6 folders, 67 objects, 1 finding\n$/);
    expect(result.status).toBe(1);
  });
});

describe('dit-gitops validate on bad input', () => {
  it('says so when the folder holds no main/*/kustomization.yaml', () => {
    const empty = tempDir();
    const result = cli('validate', empty);
    expect(result.stderr).toBe(`dit-gitops: ${empty}/ has no main/*/kustomization.yaml; expected a tree synthesized by dit-gitops (run \`npx dit-gitops synth\`, or pass its directory)\n`);
    expect(result.status).toBe(1);
  });

  it('says clearly when kubectl is missing', () => {
    const outdir = tempDir();
    fs.mkdirSync(path.join(outdir, 'main/dev'), { recursive: true });
    fs.writeFileSync(path.join(outdir, 'main/dev/kustomization.yaml'), 'resources: []\n');
    const result = cli('validate', outdir, '--kubectl', '/nonexistent/kubectl');
    expect(result.stderr).toBe('dit-gitops: /nonexistent/kubectl was not found: validate builds every environment with `kubectl kustomize` (kustomize v5); install kubectl, or pass --kubectl <path>\n');
    expect(result.status).toBe(1);
  });
});
