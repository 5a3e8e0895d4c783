import { Command, CommanderError } from 'commander';
import { DitError } from '../app/errors';
// Each command loads its own dependencies (compose, ajv, diff, helm rendering) only when it
// is the one run: `dit-gitops synth` does not pay for `import compose`. Help and unknown
// commands load them all, so the usage lists every command.
/* eslint-disable @typescript-eslint/no-require-imports */
const COMMANDS: Record<string, () => Command> = {
  synth: () => require('./synth').synthCommand(),
  check: () => require('./check').checkCommand(),
  'set-image': () => require('./set-image').setImageCommand(),
  render: () => require('./render').renderCommand(),
  lint: () => require('./lint').lintCommand(),
  import: () => require('./import').importCommand(),
  init: () => require('./init').initCommand(),
  validate: () => require('./validate').validateCommand(),
  verify: () => require('./verify').verifyCommand(),
  graph: () => require('./graph').graphCommand(),
  diff: () => require('./diff').diffCommand(),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Runs the CLI; returns the exit code. Every failure is one line on stderr. */
export function main(argv: readonly string[]): number {
  const program = new Command('dit-gitops')
    .description('Typed Flux GitOps repositories on cdk8s')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const requested = argv[2];
  const names = requested !== undefined && Object.hasOwn(COMMANDS, requested) ? [requested] : Object.keys(COMMANDS);
  for (const name of names) program.addCommand(COMMANDS[name]());
  program.showHelpAfterError();
  for (const command of program.commands) command.exitOverride().showHelpAfterError();
  for (const command of program.commands.flatMap((c) => c.commands)) command.exitOverride().showHelpAfterError();
  try {
    program.parse(argv as string[]);
    return Number(process.exitCode ?? 0);
  } catch (error) {
    // Usage errors (unknown command or flag, missing or invalid argument) exit 2, as the
    // shell's own tools do; commander has already printed the error and the usage.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    const reason = error instanceof DitError ? error.message : error instanceof Error ? error.message : String(error);
    process.stderr.write(`dit-gitops: ${reason}\n`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv);
