import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import { GitOpsApp } from '../app/gitops-app';
import { ComposeInput } from '../compose/compose-model';
import { ComposeProject } from '../compose/compose-project';
import { formatReport } from '../compose/component-plan';
import { emitTypeScript } from '../compose/typescript-emitter';
import { readSources } from '../tree/read-sources';

interface ImportComposeFlags {
  project: string;
  domain: string;
  out?: string;
  force?: boolean;
  envFile?: string;
  profile: string[];
  ingressClass?: string;
}

/** `dit-gitops import compose`: a compose project as a TypeScript definitions file the team owns. */
export function importCommand(): Command {
  const compose = new Command('compose')
    .description('convert docker-compose files into DitApi/DitClient/DitHelmChart definitions (TypeScript)')
    .argument('<files...>', 'compose files, merged in order as with docker compose -f')
    .requiredOption('--project <name>', 'project name: namespaces are <project>-staging and <project>-production')
    .requiredOption('--domain <domain>', 'production domain; staging hosts go under staging.<domain>')
    .option('--out <file>', 'write the TypeScript here (default: standard output, report on standard error)')
    .option('--force', 'overwrite --out when it exists')
    .option('--env-file <file>', 'variables for ${VAR} interpolation (default: .env beside the first file)')
    .option('--profile <name>', 'enable a compose profile (repeatable)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--ingress-class <class>', 'ingress class of every environment', 'traefik')
    .action((files: string[], flags: ImportComposeFlags) => {
      if (flags.out && fs.existsSync(flags.out) && !flags.force) {
        throw new Error(`${flags.out} exists; the imported file is the team's to edit, so it is not overwritten (pass --force to replace it)`);
      }
      const sources = readSources(files, { envFile: flags.envFile });
      const input: ComposeInput = { ...sources, variables: { ...process.env }, profiles: flags.profile };
      // Building the project in a scratch app runs every check synthesis runs, before anything is written.
      const app = new GitOpsApp({ outdir: '/nonexistent' });
      const project = new ComposeProject(app, 'compose', { compose: input, project: flags.project, domain: flags.domain, ingressClassName: flags.ingressClass });
      app.plan();
      const code = emitTypeScript(project.plan, { sources: files });
      const report = `${formatReport(project.report)}\n`;
      if (flags.out) {
        // Written beside and renamed, so a failure never leaves a half-written definitions file.
        const tmp = `${flags.out}.${process.pid}.tmp`;
        // A new repository has no src/ yet: --out src/main.ts is the first file in it.
        fs.mkdirSync(path.dirname(flags.out), { recursive: true });
        fs.writeFileSync(tmp, code);
        fs.renameSync(tmp, flags.out);
        process.stdout.write(report);
        process.stdout.write(`dit-gitops: wrote ${flags.out} (${project.plan.components.length} components, ${project.plan.environments.length} environments)\n`);
      } else {
        process.stderr.write(report);
        process.stdout.write(code);
      }
    });
  return new Command('import').description('import definitions from another format').addCommand(compose);
}
