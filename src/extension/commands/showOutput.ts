import type { Ctx } from '../Ctx';
import type { CommandFactory } from './registry';

/** Shows the MMU Lens output channel (settings problems, what the extension did). */
export const showOutput: CommandFactory = (ctx: Ctx) => () => {
  ctx.output.show(true);
};
