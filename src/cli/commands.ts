import type { Command } from 'commander';
import { registerChecksCommand } from './checks.js';
import { registerReplayCommand } from './replay.js';

/** Every sub-command lives in its own file under src/cli/ and registers itself here. */
export function registerCommands(program: Command): void {
  registerReplayCommand(program);
  registerChecksCommand(program);
}
