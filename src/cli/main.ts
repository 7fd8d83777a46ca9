#!/usr/bin/env node
import { Command } from 'commander';
import { registerCommands } from './commands.js';
import { CliError } from './cli-error.js';

const program = new Command()
  .name('sigfire')
  .description(
    'Replay identity events through CII-style checks and deliver failed checks to webhook targets.\n' +
      'Start with: sigfire replay fixtures/events/demo.ndjson --dry-run',
  )
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)')
  // `targets test <id> --config f`: options after a sub-command belong to it, not to its parent
  .enablePositionalOptions();

registerCommands(program);

// `sigfire ... | head`: a reader that goes away early is a normal end, not a crash. A
// command that handles it itself (generate reports "output closed early") has its own listener.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    if (stream.listenerCount('error') === 1) process.exit(process.exitCode ?? 0);
  });
}

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CliError) {
    process.stderr.write(`sigfire: ${error.message}\n`);
    process.exitCode = error.exitCode;
    return;
  }
  process.stderr.write(`sigfire: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});
