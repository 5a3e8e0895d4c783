import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import { parse } from 'yaml';
import { diffCommand } from '../../src/cli/diff';
import { graphCommand } from '../../src/cli/graph';
import { validateCommand } from '../../src/cli/validate';

const WORKFLOW = path.join(__dirname, '..', '..', 'templates/init/.github/workflows/review.yml');

describe('templates/init/.github/workflows/review.yml', () => {
  const workflow = parse(fs.readFileSync(WORKFLOW, 'utf8'));
  const scripts: string[] = workflow.jobs.review.steps.map((s: { run?: string }) => s.run ?? '');
  const invocations = scripts.join('\n').match(/npx dit-gitops [^|\n]+/g) ?? [];

  it('runs on pull requests and may write the comment', () => {
    expect(Object.keys(workflow.on)).toStrictEqual(['pull_request']);
    expect(workflow.permissions).toStrictEqual({ contents: 'read', 'pull-requests': 'write' });
  });

  it('posts diff --format markdown and the staging graph', () => {
    expect(invocations.map((line) => line.trim())).toStrictEqual([
      'npx dit-gitops validate dist',
      'npx dit-gitops diff --base "$BASE_SHA" --format markdown',
      'npx dit-gitops graph --env "$GRAPH_ENV" --format mermaid',
    ]);
    expect(workflow.jobs.review.steps.find((s: { name?: string }) => s.name === 'Write the review comment').env.GRAPH_ENV).toBe('staging');
    expect(scripts.join('\n')).toMatch(/gh pr comment "\$PR" --edit-last --create-if-none --body-file review.md/);
  });

  it('uses only flags the commands have', () => {
    const commands: Record<string, Command> = { validate: validateCommand(), diff: diffCommand(), graph: graphCommand() };
    for (const line of invocations) {
      const [, , name, ...args] = line.trim().split(/\s+/);
      const known = commands[name].options.map((o) => o.long);
      expect(args.filter((a) => a.startsWith('--')).filter((flag) => !known.includes(flag))).toStrictEqual([]);
    }
  });
});
