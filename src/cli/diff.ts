import { Command, Option } from 'commander';
import { GitOpsApp } from '../app/gitops-app';
import { findEnvironment } from '../network/graph';
import { EffectiveChange, effectiveDiff, formatEffectiveChange } from '../testing/effective-diff';
import { FileChange, TreeFiles, diffFiles, readTree, readTreeAtRef } from '../tree/tree-diff';
import { diffTree } from '../tree/tree-writer';
import { loadDefinitions } from './definitions';

/** Flags of `dit-gitops diff`. */
interface DiffFlags {
  readonly definitions: string;
  readonly outdir: string;
  readonly base?: string;
  readonly env?: string;
  readonly format: 'text' | 'markdown';
}

/** What a synthesis would change, in both views. */
interface SynthDiff {
  readonly effective: readonly EffectiveChange[];
  readonly files: readonly FileChange[];
}

/**
 * `dit-gitops diff`: what a synthesis would change, without writing. "Before" is the tree in
 * the output directory (or as committed at `--base`), "after" what the definitions synthesize
 * against the output directory (CI-owned image.yaml kept as the tree has it). Two views: the effective one (per environment and
 * component, the objects as kustomize builds them) and the file one (a unified diff per file).
 */
export function diffCommand(): Command {
  return new Command('diff')
    .description('show what a synthesis would change: per environment and component, then per file (writes nothing)')
    .option('--definitions <file>', 'module exporting the team definitions', 'src/main.ts')
    .option('--outdir <dir>', 'output directory', 'dist')
    .option('--base <ref>', 'compare with the output directory as committed at this git ref (a pull request\'s base) instead of as it is on disk')
    .option('--env <name>', 'only this environment (default: every environment)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown']).default('text'))
    .action((flags: DiffFlags) => {
      const app = new GitOpsApp({ outdir: flags.outdir });
      loadDefinitions(flags.definitions)(app);
      const onDisk = readTree(flags.outdir);
      const before = flags.base === undefined ? onDisk : readTreeAtRef(flags.outdir, flags.base);
      const after = synthesized(app, flags.outdir, onDisk);
      const env = flags.env === undefined ? undefined : findEnvironment(app, flags.env).name;
      const diff: SynthDiff = {
        effective: effectiveDiff(before, after).filter((c) => env === undefined || c.environment === env),
        files: diffFiles(before, after).filter((f) => env === undefined || touches(f.path, env, app)),
      };
      process.stdout.write(flags.format === 'markdown' ? formatMarkdown(diff, env) : formatText(diff));
    });
}

// The tree as the writer would leave it: planned files resolved against the disk, pruned
// files gone, files the engine does not own untouched.
function synthesized(app: GitOpsApp, outdir: string, before: TreeFiles): TreeFiles {
  const { files, summary } = diffTree(outdir, app.plan(), app.isPrunable);
  const pruned = new Set(summary.pruned);
  const kept = Object.entries(before).filter(([p]) => !pruned.has(p) && !files.has(p));
  return Object.fromEntries([...kept, ...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

// A file belongs to an environment when it sits in that environment's folder; a base or a
// shared directory belongs to every environment.
function touches(path: string, env: string, app: GitOpsApp): boolean {
  const parts = path.split('/');
  const others = app.environments.map((e) => e.name).filter((name) => name !== env);
  return !parts.slice(0, -1).some((part) => others.includes(part));
}

function formatText(diff: SynthDiff): string {
  if (diff.files.length === 0) return 'dit-gitops diff: no changes\n';
  const lines = ['Effective changes (per environment and component, as Flux applies them):'];
  lines.push(...(diff.effective.length > 0 ? diff.effective.map((c) => `  ${formatEffectiveChange(c)}`) : ['  none: the files change, the applied objects do not']));
  lines.push('', `Files (${summarize(diff.files)}):`);
  return `${lines.join('\n')}\n${diff.files.map((f) => f.patch).join('')}`;
}

function formatMarkdown(diff: SynthDiff, env?: string): string {
  const scope = env ? ` in ${env}` : '';
  if (diff.files.length === 0) return `### dit-gitops diff\n\nNo changes${scope}: the committed tree is what the definitions synthesize.\n`;
  const lines = ['### dit-gitops diff', '', `What this change does${scope}, as Flux will apply it:`, ''];
  if (diff.effective.length === 0) lines.push('The files change, the applied objects do not.');
  else {
    lines.push('| environment | component | change |', '|---|---|---|');
    for (const c of diff.effective) lines.push(`| ${c.environment} | ${c.component} | ${c.changes.map(cell).join('<br>')} |`);
  }
  const fence = '`'.repeat(Math.max(3, ...diff.files.map((f) => longestBacktickRun(f.patch) + 1)));
  lines.push('', `<details><summary>Files (${summarize(diff.files)})</summary>`, '', `${fence}diff`);
  return `${lines.join('\n')}\n${diff.files.map((f) => f.patch).join('')}${fence}\n\n</details>\n`;
}

function summarize(files: readonly FileChange[]): string {
  const count = (change: FileChange['change']) => files.filter((f) => f.change === change).length;
  return `${count('added')} added, ${count('modified')} modified, ${count('deleted')} deleted`;
}

function cell(text: string): string {
  return `\`${text.replace(/\|/g, '\\|').replace(/`/g, "'")}\``;
}

function longestBacktickRun(text: string): number {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
}
