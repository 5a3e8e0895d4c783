import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import { GitOpsApp } from '../app/gitops-app';
import { renderSetImage } from '../images/set-image';
import { commitTree, recoverTree } from '../tree/tree-journal';
import { withTreeLock } from '../tree/tree-lock';
import { scanTree } from '../tree/tree-writer';
import { loadDefinitions } from './definitions';

interface SetImageFlags {
  env?: string;
  fromRef?: string;
  tag: string;
  digest?: string;
  repository?: string;
  commit?: string;
  definitions: string;
  outdir: string;
}

/** `dit-gitops set-image`: the auto-deploy step, editing one image.yaml in place. */
export function setImageCommand(): Command {
  return new Command('set-image')
    .description('record a new image build in dist/<component>/<env>/image.yaml (edits it in place)')
    .argument('<component>', 'component name')
    .option('--env <environment>', 'environment to deploy to')
    .option('--from-ref <ref>', 'git ref that was built: a tag deploys to production, main to staging, other branches to development')
    .requiredOption('--tag <tag>', 'image tag')
    .option('--digest <digest>', 'image digest (sha256:<64 hex>); required where digests are pinned, and whenever the file carries one and the tag changes')
    .option('--repository <url>', 'application repository (https://github.com/owner/name or owner/name)')
    .option('--commit <sha>', 'commit that was built')
    .option('--definitions <file>', 'module exporting the team definitions', 'src/main.ts')
    .option('--outdir <dir>', 'output directory', 'dist')
    .action((component: string, flags: SetImageFlags) => {
      const app = new GitOpsApp({ outdir: flags.outdir });
      loadDefinitions(flags.definitions)(app);
      // Only for its validation: definitions that would not synthesize must not gain an image.yaml edit.
      app.plan();
      // Read, edit and write under the tree's lock, so a synthesis running beside it reads
      // either the file before or the file after, never overwrites it with older bytes.
      const result = withTreeLock(flags.outdir, () => {
        recoverTree(flags.outdir);
        // Only for its refusal of symbolic links, which would send the write outside the tree.
        scanTree(flags.outdir);
        const read = (rel: string) => {
          const file = path.join(flags.outdir, rel);
          return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
        };
        const rendered = renderSetImage(app, {
          component,
          environment: flags.env,
          ref: flags.fromRef,
          tag: flags.tag,
          digest: flags.digest,
          repository: flags.repository,
          commit: flags.commit,
        }, read);
        if (read(rendered.path) !== rendered.content) commitTree(flags.outdir, { writes: new Map([[rendered.path, rendered.content]]), prunes: [] });
        return rendered;
      }, { purpose: 'set-image' });
      console.log(`dit-gitops: ${component} ${result.environment} -> ${flags.tag}${flags.digest ? `@${flags.digest}` : ''} (${path.join(flags.outdir, result.path)})`);
    });
}
