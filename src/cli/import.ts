import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import { GitOpsApp } from '../app/gitops-app';
import { ComposeInput } from '../compose/compose-model';
import { ComposeProject } from '../compose/compose-project';
import { formatReport } from '../compose/component-plan';
import { emitTypeScript } from '../compose/typescript-emitter';
import { readSources } from '../tree/read-sources';
import { findHelm, synthTree, verifyTree } from '../testing';
import { formatVerifyProblem } from '../verify/verify-problem';

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
      // The file must compile before a team gets it (a report line with a newline once broke it).
      const checked = typeCheckEmitted(code);
      if (checked.problems.length > 0) {
        throw new Error(`the generated TypeScript does not compile, so nothing was written (an importer bug: please report it with the compose file):\n${checked.problems.join('\n')}`);
      }
      const report = `${formatReport(project.report)}\n${checked.skipped ? `(import): ${checked.skipped}\n` : ''}${verifyLines(app)}`;
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

/**
 * verify is part of the import: the converted tree in staging (the first environment that is
 * not production), rendered and checked as a running system; each problem names its rule.
 */
function verifyLines(app: GitOpsApp): string {
  const env = app.environments.find((e) => !e.production) ?? app.environments[0];
  if (!env) return '';
  let helm: string;
  try {
    helm = findHelm();
  } catch (error) {
    return `(verify): not run: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`;
  }
  const report = verifyTree(app, synthTree(app), { environments: [env.name], helm });
  if (report.problems.length === 0) return `(verify): ${env.name} passes verify\n`;
  return `(verify): ${env.name} fails verify with ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}; the tree is written, fix these in the definitions or the compose file:\n${report.problems.map((p) => `(verify) ${formatVerifyProblem(p)}`).join('\n')}\n`;
}

/**
 * Type-checks the TypeScript `dit-gitops import compose` emits, against this package's own
 * types, before anything is written: a file that does not compile is never handed to a team.
 * Needs the `typescript` package (every cdk8s project has it); without it, says so.
 */
export function typeCheckEmitted(code: string): { readonly problems: readonly string[]; readonly skipped?: string } {
  let ts: typeof import('typescript');
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ts = require('typescript') as typeof import('typescript');
  } catch {
    return { problems: [], skipped: 'the typescript package is not installed: the emitted file was not type-checked' };
  }
  // This package's entry point: src/index.ts from a checkout, lib/src/index.d.ts when installed.
  const entry = ['index.ts', 'index.d.ts'].map((f) => path.join(__dirname, '..', f)).find((f) => fs.existsSync(f));
  if (!entry) return { problems: [], skipped: 'the dit-gitops types were not found beside the importer: the emitted file was not type-checked' };
  const file = path.join(path.dirname(entry), '__imported_compose__.ts');
  const options: import('typescript').CompilerOptions = {
    strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10, esModuleInterop: true, types: ['node'],
    baseUrl: path.dirname(entry), paths: { 'dit-gitops': [entry] },
  };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  const exists = host.fileExists.bind(host);
  const getSource = host.getSourceFile.bind(host);
  host.readFile = (f) => (path.resolve(f) === file ? code : read(f));
  host.fileExists = (f) => path.resolve(f) === file || exists(f);
  host.getSourceFile = (f, v, onError, create) => (path.resolve(f) === file ? ts.createSourceFile(f, code, v, true) : getSource(f, v, onError, create));
  const program = ts.createProgram([file], options, host);
  const source = program.getSourceFile(file)!;
  const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
  return {
    problems: diagnostics.map((d) => {
      const line = d.start !== undefined ? source.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
      return `line ${line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    }),
  };
}
