import * as fs from 'fs';
import * as path from 'path';
import { ComposeProject, GitOpsApp, formatReport } from '../../src';
import { synthTree } from '../../src/testing';

// The README's compose section is what a compose team reads first: its report lines and its
// tree listing must be what the importer gives for its compose file.
describe('the README compose section', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## From docker-compose.yml'));
  const blocks = [...section.matchAll(/```(yaml|text)\n([\s\S]*?)```/g)].map((m) => m[2]);
  const [compose, report, listing] = blocks;
  const app = new GitOpsApp();
  const project = new ComposeProject(app, 'shop', { compose: { files: [{ file: 'docker-compose.yml', content: compose }] }, project: 'shop', domain: 'shop.example.com' });

  test('every report line it quotes is in the report', () => {
    const lines = formatReport(project.report).split('\n');
    expect(report.trimEnd().split('\n').filter((l) => !lines.includes(l))).toStrictEqual([]);
  });

  test('the tree it lists is the tree synthesized', () => {
    expect(Object.keys(synthTree(app))).toStrictEqual(listing.trimEnd().split('\n'));
  });
});
