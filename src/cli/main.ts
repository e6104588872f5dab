import { run } from './program.ts';

export async function main(argv: string[]): Promise<number> {
  return run(argv);
}
