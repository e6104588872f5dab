/** Every command module, registered in help order. Add new command files here. */
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { register as divides } from './divides.ts';
import { register as index } from './index-cmd.ts';
import { register as observatory } from './observatory.ts';
import { register as registry } from './registry.ts';
import { register as report } from './report.ts';
import { register as serve } from './serve.ts';
import { register as start } from './start.ts';

export function registerAll(program: Command, ctx: CliContext): void {
  start(program, ctx);
  observatory(program, ctx);
  divides(program, ctx);
  index(program, ctx);
  report(program, ctx);
  registry(program, ctx);
  serve(program, ctx);
}
