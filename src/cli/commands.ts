import type { Command } from 'commander';
import { registerChecksCommand } from './checks.js';
import { registerDeliveriesCommand } from './deliveries.js';
import { registerGenerateCommand } from './generate.js';
import { registerListenCommand } from './listen.js';
import { registerReplayCommand } from './replay.js';
import { registerTargetsCommand } from './targets.js';
import { registerWorkerCommand } from './worker.js';

/** Every sub-command lives in its own file under src/cli/ and registers itself here. */
export function registerCommands(program: Command): void {
  registerReplayCommand(program);
  registerChecksCommand(program);
  registerGenerateCommand(program);
  registerListenCommand(program);
  registerWorkerCommand(program);
  registerTargetsCommand(program);
  registerDeliveriesCommand(program);
}
