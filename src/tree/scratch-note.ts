import * as fs from 'fs';
import * as path from 'path';
import type { SynthSummary } from './tree-writer';

/** The one file the app writes into the cdk8s CLI's output folder. */
export const SCRATCH_NOTE = 'dit-gitops-summary.yaml';

/**
 * `cdk8s synth` deletes its output folder (cdk8s.yaml `output`) before it runs the app, then
 * lists the YAML files the app left there. The tree lives elsewhere (`outdir`), so this folder
 * only gets a note: the CLI lists it, and a reader finds where the tree went and what changed.
 */
export function writeScratchNote(scratchDir: string, outdir: string, summary: SynthSummary): void {
  fs.mkdirSync(scratchDir, { recursive: true });
  const lines = [
    `# cdk8s scratch output: dit-gitops wrote the tree to ${outdir}/, not here.`,
    '# The cdk8s CLI deletes this folder on every run; nothing in it is committed.',
    `outdir: ${JSON.stringify(path.resolve(outdir))}`,
    `written: ${summary.written.length}`,
    `unchanged: ${summary.unchanged.length}`,
    `pruned: ${summary.pruned.length}`,
    `preserved: ${summary.preserved.length}`,
  ];
  fs.writeFileSync(path.join(scratchDir, SCRATCH_NOTE), `${lines.join('\n')}\n`);
}
