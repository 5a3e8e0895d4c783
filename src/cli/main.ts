import { Command, CommanderError } from 'commander';
import { DitError } from '../app/errors';
import { checkCommand } from './check';
import { importCommand } from './import';
import { initCommand } from './init';
import { setImageCommand } from './set-image';
import { synthCommand } from './synth';
import { renderCommand } from './render';
import { lintCommand } from './lint';
import { diffCommand } from './diff';
import { graphCommand } from './graph';
import { validateCommand } from './validate';
import { verifyCommand } from './verify';

/** Runs the CLI; returns the exit code. Every failure is one line on stderr. */
export function main(argv: readonly string[]): number {
  const program = new Command('dit-gitops')
    .description('Typed Flux GitOps repositories on cdk8s')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .addCommand(synthCommand())
    .addCommand(checkCommand())
    .addCommand(setImageCommand())
    .addCommand(renderCommand())
    .addCommand(lintCommand())
    .addCommand(importCommand())
    .addCommand(initCommand())
    .addCommand(validateCommand())
    .addCommand(verifyCommand())
    .addCommand(graphCommand())
    .addCommand(diffCommand());
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
